package dev.tg.media;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The files a message content holds, by the schema's fields (td_api.tl 1.8.65): {@code messagePhoto.photo.sizes[]
 * .photo}, {@code messageVoiceNote.voice_note.voice}, {@code messageVideoNote.video_note.video},
 * {@code messageDocument.document.document}, {@code messageVideo.video.video}, {@code messageAudio.audio.audio},
 * {@code messageAnimation.animation.animation}, {@code messageSticker.sticker.sticker}. Thumbnails are not kept.
 */
final class MediaContent {
  /** One file: its kind as the policy names it, this TDLib instance's id, the stable unique id and the size. */
  record File(String kind, int fileId, String uniqueId, long size) {}

  /** The content type → the kind, and the path from the content to its file. */
  private static final Map<String, List<String>> PATHS = Map.of(
      "messageVoiceNote", List.of("voice-note", "voice_note", "voice"),
      "messageVideoNote", List.of("video-note", "video_note", "video"),
      "messageDocument", List.of("document", "document", "document"),
      "messageVideo", List.of("video", "video", "video"),
      "messageAudio", List.of("audio", "audio", "audio"),
      "messageAnimation", List.of("animation", "animation", "animation"),
      "messageSticker", List.of("sticker", "sticker", "sticker"));

  static final List<String> CONTENT_TYPES = List.of("messagePhoto", "messageVoiceNote", "messageVideoNote",
      "messageDocument", "messageVideo", "messageAudio", "messageAnimation", "messageSticker");

  private MediaContent() {}

  /** The content's files; a photo's are its sizes, smallest first as TDLib lists them. */
  static List<File> files(JsonNode content) {
    String type = content.path("@type").asText();
    List<File> files = new ArrayList<>();
    if (type.equals("messagePhoto")) {
      content.path("photo").path("sizes").forEach(size -> add(files, "photo", size.path("photo")));
    } else if (PATHS.containsKey(type)) {
      List<String> path = PATHS.get(type);
      add(files, path.get(0), content.path(path.get(1)).path(path.get(2)));
    }
    return files;
  }

  private static void add(List<File> files, String kind, JsonNode file) {
    String uniqueId = file.path("remote").path("unique_id").asText();
    // a file TDLib has no stable identity for cannot be deduplicated or found again; it is left out
    if (!uniqueId.isEmpty()) {
      long size = file.path("size").asLong() > 0 ? file.path("size").asLong() : file.path("expected_size").asLong();
      files.add(new File(kind, file.path("id").asInt(), uniqueId, size));
    }
  }

  /** The file of this content with that unique id, as this instance names it now. */
  static File find(JsonNode content, String uniqueId) {
    return files(content).stream().filter(file -> file.uniqueId().equals(uniqueId)).findFirst().orElse(null);
  }
}
