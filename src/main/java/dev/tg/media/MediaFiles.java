package dev.tg.media;

import dev.tg.archive.ArchiveReader;
import dev.tg.status.Status;
import java.nio.file.Path;
import java.util.ArrayList;
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
    if (chatIds.isEmpty() || !reader.hasTable("media")) {
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

  /**
   * Each chat's files by state, for the chats of the account that hold any or have messages not looked at yet:
   * archived after the scan's last look, or in a chat asked for ({@code tg sync --media}) and not looked at again.
   */
  public static Map<Long, Status.ChatMedia> byChat(ArchiveReader reader, String account) {
    return of(reader, account, "", List.of(account));
  }

  /** One chat's files, as {@link #byChat}; null when it has none. */
  public static Status.ChatMedia ofChat(ArchiveReader reader, String account, long chatId) {
    return of(reader, account, " AND chat_id = ?", List.of(account, chatId)).get(chatId);
  }

  /** {@code chatFilter} narrows each query to the chats it names, with {@code values} after the account. */
  private static Map<Long, Status.ChatMedia> of(ArchiveReader reader, String account, String chatFilter,
      List<Object> values) {
    Map<Long, Status.ChatMedia> chats = new HashMap<>();
    if (!reader.hasTable("media")) {
      return chats;
    }
    for (Map<String, Object> row : reader.rows("SELECT chat_id, "
        + "count(CASE WHEN state = 'done' THEN 1 END) AS stored, "
        + "sum(CASE WHEN state = 'done' THEN size ELSE 0 END) AS stored_bytes, "
        + "count(CASE WHEN state IN ('pending', 'downloading') THEN 1 END) AS waiting, "
        + "sum(CASE WHEN state IN ('pending', 'downloading') THEN size ELSE 0 END) AS waiting_bytes, "
        + "count(CASE WHEN state = 'failed' THEN 1 END) AS failed, "
        + "count(CASE WHEN state = 'skipped' THEN 1 END) AS skipped "
        + "FROM media WHERE account = ?" + chatFilter + " GROUP BY chat_id", values.toArray())) {
      chats.put(number(row, "chat_id"), new Status.ChatMedia(number(row, "stored"), number(row, "stored_bytes"),
          number(row, "waiting"), number(row, "waiting_bytes"), number(row, "failed"), number(row, "skipped"), 0));
    }
    List<Object> withScan = new ArrayList<>(List.of(account));
    withScan.addAll(values);
    List<Map<String, Object>> toLookAt = new ArrayList<>(reader.rows("SELECT chat_id, count(*) AS messages "
        + "FROM messages WHERE rowid > COALESCE((SELECT last_rowid FROM media_scan WHERE account = ?), 0) "
        + "AND account = ?" + chatFilter + " GROUP BY chat_id", withScan.toArray()));
    if (reader.hasTable("media_chats")) { // an archive of the first layout has none until the node starts
      toLookAt.addAll(reader.rows("SELECT r.chat_id, count(m.message_id) AS messages FROM media_chats r "
          + "JOIN messages m ON m.account = r.account AND m.chat_id = r.chat_id AND m.message_id > r.rescan_after "
          + "WHERE r.rescan_after IS NOT NULL AND r.account = ?" + chatFilter.replace("chat_id", "r.chat_id")
          + " GROUP BY r.chat_id", values.toArray()));
    }
    for (Map<String, Object> row : toLookAt) {
      chats.merge(number(row, "chat_id"), Status.ChatMedia.NONE.lookingAt(number(row, "messages")),
          (files, more) -> files.lookingAt(more.messagesToLookAt()));
    }
    return chats;
  }

  private static long number(Map<String, Object> row, String column) {
    return ((Number) row.get(column)).longValue();
  }
}
