package dev.tg.media;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.archive.ArchiveReader;
import dev.tg.config.OwnerOnlyFiles;
import dev.tg.interop.ExportedFiles;
import dev.tg.interop.Peers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The stored files of exported messages, put beside the export ({@code tg export --media DIR}) in Telegram Desktop's
 * folders (photos, files, voice_messages, round_video_messages, video_files, animations, stickers), copied and
 * owner-only: not hard-linked, since a program that edits an exported file in place would change the archive's
 * copy. A file not stored is named by Telegram Desktop's words for why: left out by the policy, over its size cap,
 * or not downloaded (yet).
 */
public final class MediaExport implements ExportedFiles {
  private static final Map<String, String> FOLDERS = Map.of("photo", "photos", "document", "files",
      "voice-note", "voice_messages", "video-note", "round_video_messages", "video", "video_files",
      "audio", "files", "animation", "animations", "sticker", "stickers");

  private record Row(String kind, String state, String reason, String path) {}

  private final ArchiveReader archive;
  private final Path mediaDir;
  private final String account;
  private final Path targetDir;
  private final Path exportDir;
  private final Map<Long, Map<Long, Row>> chats = new HashMap<>();
  private int exported;

  /**
   * Files go under {@code targetDir}; the fields name them relative to {@code exportDir}, the folder of the
   * export's file (absolute when it has none: the export goes to stdout).
   */
  public MediaExport(ArchiveReader archive, Path mediaDir, String account, Path targetDir, Path exportDir) {
    this.archive = archive;
    this.mediaDir = mediaDir;
    this.account = account;
    this.targetDir = targetDir.toAbsolutePath();
    this.exportDir = exportDir == null ? null : exportDir.toAbsolutePath();
  }

  /** How many files the export names beside it. */
  public int exported() {
    return exported;
  }

  @Override
  public String field(JsonNode message) {
    long chatId = message.path("chat_id").asLong();
    long messageId = message.path("id").asLong();
    Row row = chats.computeIfAbsent(chatId, this::rowsOf).get(messageId);
    if (row == null || row.state().equals("skipped")) {
      return row != null && row.reason().contains(" over the ") ? TOO_LARGE : NOT_INCLUDED;
    }
    if (!row.state().equals("done")) {
      return UNAVAILABLE;
    }
    Path target = targetDir.resolve(FOLDERS.get(row.kind())).resolve(name(message, row.kind()));
    place(mediaDir.resolve(row.path()), target);
    exported++;
    return exportDir == null ? target.toString() : exportDir.relativize(target).toString().replace('\\', '/');
  }

  /** The chat's newest row per message: the file it holds now. */
  private Map<Long, Row> rowsOf(long chatId) {
    Map<Long, Row> rows = new HashMap<>();
    if (!archive.hasTable("media")) {
      return rows;
    }
    for (Map<String, Object> row : archive.rows("SELECT message_id, kind, state, reason, path FROM media "
        + "WHERE account = ? AND chat_id = ? ORDER BY rowid", account, chatId)) {
      rows.put(((Number) row.get("message_id")).longValue(), new Row((String) row.get("kind"),
          (String) row.get("state"), (String) row.get("reason"), (String) row.get("path")));
    }
    return rows;
  }

  /** {@code 1234_report.pdf}: the message's server id, then the file's own name, or one made from the kind. */
  private static String name(JsonNode message, String kind) {
    long serverId = Peers.serverId(message.path("id").asLong());
    JsonNode content = message.path("content");
    String own = "";
    for (JsonNode media : content) {
      own = media.path("file_name").asText(own);
    }
    String safe = own.replaceAll("[/\\\\\\x00]", "_").replaceFirst("^\\.+", "");
    if (!safe.isEmpty()) {
      return serverId + "_" + safe;
    }
    return serverId + "_" + switch (kind) {
      case "photo" -> "photo.jpg";
      case "voice-note" -> "audio.ogg";
      case "video-note" -> "video.mp4";
      case "sticker" -> "sticker" + switch (content.path("sticker").path("format").path("@type").asText()) {
        case "stickerFormatTgs" -> ".tgs";
        case "stickerFormatWebm" -> ".webm";
        default -> ".webp";
      };
      default -> kind;
    };
  }

  private void place(Path stored, Path target) {
    try {
      if (Files.exists(target) && Files.size(target) == Files.size(stored)) {
        return; // exported before: the store never changes a file's bytes
      }
      OwnerOnlyFiles.createDirectories(target.getParent());
      OwnerOnlyFiles.createFile(target);
      try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.TRUNCATE_EXISTING)) {
        Files.copy(stored, out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot put " + stored + " beside the export as " + target, e);
    }
  }
}
