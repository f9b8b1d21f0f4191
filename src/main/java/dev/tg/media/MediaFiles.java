package dev.tg.media;

import dev.tg.archive.ArchiveReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Where a message's file is, for readers of the archive (tg history): its path in the store, or why it is not. */
public final class MediaFiles {
  private MediaFiles() {}

  /**
   * Per message id of the chats' messages: the stored file's absolute path, or its state (and the reason) while it
   * is not stored (the file it holds now: a message edited to hold another file keeps a row for each); an archive
   * the media downloads never ran on has none.
   */
  public static Map<Long, String> describe(ArchiveReader reader, Path mediaDir, String account, List<Long> chatIds) {
    Map<Long, String> files = new HashMap<>();
    if (chatIds.isEmpty() || reader.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'media'")
        .isEmpty()) {
      return files;
    }
    String chats = String.join(", ", chatIds.stream().map(String::valueOf).toList());
    for (Map<String, Object> row : reader.rows("SELECT message_id, state, path, reason FROM media WHERE account = ? "
        + "AND chat_id IN (" + chats + ") ORDER BY rowid", account)) {
      long messageId = ((Number) row.get("message_id")).longValue();
      String state = (String) row.get("state");
      files.put(messageId, state.equals("done") ? mediaDir.resolve((String) row.get("path")).toString()
          : row.get("reason") == null ? state : state + ": " + row.get("reason"));
    }
    return files;
  }
}
