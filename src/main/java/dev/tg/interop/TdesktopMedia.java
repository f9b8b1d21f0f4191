package dev.tg.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A message's media as Telegram Desktop's JSON export writes it ({@code SerializeMessage}, tdesktop commit
 * 929032d5): a photo as {@code photo} with its width and height; a document, voice note, video note, video, audio,
 * animation or sticker as {@code file} with its {@code media_type}, {@code mime_type} (not for stickers),
 * {@code duration_seconds}, width and height, an audio's performer and title, a sticker's emoji; and back, on import,
 * into the TDLib content's fields (without the file, which an import does not bring).
 */
final class TdesktopMedia {
  /** Content type → the content's field holding the media, and Telegram Desktop's media_type (none for documents). */
  private static final Map<String, String[]> DOCUMENTS = Map.of(
      "messageDocument", new String[] {"document", null},
      "messageVoiceNote", new String[] {"voice_note", "voice_message"},
      "messageVideoNote", new String[] {"video_note", "video_message"},
      "messageVideo", new String[] {"video", "video_file"},
      "messageAudio", new String[] {"audio", "audio_file"},
      "messageAnimation", new String[] {"animation", "animation"},
      "messageSticker", new String[] {"sticker", "sticker"});

  private TdesktopMedia() {}

  static boolean holdsFile(String contentType) {
    return contentType.equals("messagePhoto") || DOCUMENTS.containsKey(contentType);
  }

  static void write(ObjectNode out, JsonNode message, ExportedFiles files) {
    JsonNode content = message.path("content");
    String type = content.path("@type").asText();
    if (type.equals("messagePhoto")) {
      out.put("photo", files.field(message));
      JsonNode sizes = content.path("photo").path("sizes");
      JsonNode largest = sizes.path(sizes.size() - 1);
      size(out, largest.path("width").asInt(), largest.path("height").asInt());
      return;
    }
    String[] document = DOCUMENTS.get(type);
    JsonNode media = content.path(document[0]);
    out.put("file", files.field(message));
    if (document[1] != null) {
      out.put("media_type", document[1]);
    }
    if (type.equals("messageSticker")) {
      putIfPresent(out, "sticker_emoji", media.path("emoji").asText());
    } else {
      putIfPresent(out, "mime_type", media.path("mime_type").asText());
    }
    if (type.equals("messageAudio")) {
      putIfPresent(out, "performer", media.path("performer").asText());
      putIfPresent(out, "title", media.path("title").asText());
    }
    if (media.path("duration").asInt() > 0) {
      out.put("duration_seconds", media.path("duration").asInt());
    }
    // a video note is square: its length is both
    int length = media.path("length").asInt();
    size(out, length > 0 ? length : media.path("width").asInt(), length > 0 ? length : media.path("height").asInt());
  }

  /** The media fields of an exported message into {@code content} of {@code type}, as TDLib names them. */
  static void read(JsonNode exported, String type, ObjectNode content) {
    int width = exported.path("width").asInt();
    int height = exported.path("height").asInt();
    if (type.equals("messagePhoto")) {
      ObjectNode size = content.putObject("photo").put("@type", "photo").putArray("sizes").addObject()
          .put("@type", "photoSize");
      size.put("width", width).put("height", height);
      return;
    }
    String[] document = DOCUMENTS.get(type);
    if (document == null) {
      return;
    }
    ObjectNode media = content.putObject(document[0]);
    copyText(exported, "mime_type", media, "mime_type");
    copyText(exported, "performer", media, "performer");
    copyText(exported, "title", media, "title");
    copyText(exported, "sticker_emoji", media, "emoji");
    if (exported.path("duration_seconds").asInt() > 0) {
      media.put("duration", exported.path("duration_seconds").asInt());
    }
    if (width > 0 && height > 0) {
      if (type.equals("messageVideoNote")) {
        media.put("length", width);
      } else {
        media.put("width", width).put("height", height);
      }
    }
  }

  private static void copyText(JsonNode from, String field, ObjectNode to, String as) {
    if (from.path(field).isTextual()) {
      to.put(as, from.path(field).asText());
    }
  }

  private static void size(ObjectNode out, int width, int height) {
    if (width > 0 && height > 0) {
      out.put("width", width);
      out.put("height", height);
    }
  }

  private static void putIfPresent(ObjectNode out, String field, String value) {
    if (!value.isEmpty()) {
      out.put(field, value);
    }
  }
}
