package dev.tg.media;

import static dev.tg.archive.Sql.bind;
import static dev.tg.archive.Sql.now;
import static dev.tg.archive.Sql.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tg.archive.ArchiveLocation;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The archive's {@code media} table: one row per archived message that holds a file, linking it to the file in the
 * store once that is durable, with its state ({@code pending}, {@code downloading}, {@code done}, {@code failed} with
 * the error, {@code skipped} with the policy's reason). {@code media_scan} keeps, per account, the last message row
 * looked at, so every archived message is looked at once, after it is stored. Runs on the archive's writer.
 */
final class MediaTable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MEDIA_TABLE = """
      CREATE TABLE IF NOT EXISTS %s (
        account     TEXT    NOT NULL,
        chat_id     INTEGER NOT NULL,
        message_id  INTEGER NOT NULL,
        kind        TEXT    NOT NULL,
        tier        INTEGER NOT NULL,
        unique_id   TEXT    NOT NULL,
        file_id     INTEGER NOT NULL,
        message_row INTEGER NOT NULL,
        size        INTEGER NOT NULL,
        state       TEXT    NOT NULL,
        reason      TEXT,
        attempts    INTEGER NOT NULL DEFAULT 0,
        sha256      TEXT,
        path        TEXT,
        updated_at  TEXT    NOT NULL,
        PRIMARY KEY (account, chat_id, message_id, unique_id)
      )""";
  private static final List<String> SCHEMA = List.of(
      MEDIA_TABLE.formatted("media"),
      "CREATE INDEX IF NOT EXISTS media_by_state ON media (account, state, tier)",
      "CREATE INDEX IF NOT EXISTS media_by_unique_id ON media (unique_id, state)",
      """
      CREATE TABLE IF NOT EXISTS media_scan (
        account     TEXT    PRIMARY KEY,
        last_rowid  INTEGER NOT NULL
      )""",
      // messages already looked at whose content changed since (an edit, an updateMessageContent): the file may
      // be another now; the scan looks at them again
      """
      CREATE TABLE IF NOT EXISTS media_changes (
        account     TEXT    NOT NULL,
        chat_id     INTEGER NOT NULL,
        message_id  INTEGER NOT NULL,
        PRIMARY KEY (account, chat_id, message_id)
      )""",
      // chats whose every file the user asked for (tg sync --media), whatever the policy; rescan_after is the last
      // message id looked at again since, null once all were
      """
      CREATE TABLE IF NOT EXISTS media_chats (
        account      TEXT    NOT NULL,
        chat_id      INTEGER NOT NULL,
        requested_at TEXT    NOT NULL,
        rescan_after INTEGER,
        PRIMARY KEY (account, chat_id)
      )""",
      """
      CREATE TRIGGER IF NOT EXISTS media_content_changed AFTER UPDATE OF raw_json ON messages
      WHEN new.content_type IN (%s) BEGIN
        INSERT OR IGNORE INTO media_changes (account, chat_id, message_id)
        VALUES (new.account, new.chat_id, new.message_id);
      END""".formatted(quoted(MediaContent.CONTENT_TYPES)));

  /** The messages the scan reads: their row, tier and, when the content type can hold a file, the raw JSON. */
  private static final String MESSAGES = "SELECT m.rowid AS row_id, m.chat_id, m.message_id, m.deleted, "
      + "COALESCE(s.sync_priority, 4) AS tier, CASE WHEN m.content_type IN ("
      + quoted(MediaContent.CONTENT_TYPES) + ") THEN m.raw_json END AS raw_json, CASE WHEN EXISTS (SELECT 1 FROM "
      + "media_chats "
      + "r WHERE r.account = m.account AND r.chat_id = m.chat_id) THEN 1 ELSE 0 END AS every_file "
      + "FROM messages m LEFT JOIN chat_sync_state s ON s.account = m.account AND s.chat_id = m.chat_id ";

  /**
   * A file to download for a message; {@code fileId} as the TDLib instance that delivered the message named it,
   * {@code messageRow} the message's row in the archive (later rows than a run's start came from that run's TDLib).
   */
  record Pending(long chatId, long messageId, String kind, int tier, String uniqueId, int fileId, long messageRow,
      long size, int attempts) {}

  /** Files and bytes in one state. */
  record Count(long files, long bytes) {}

  private MediaTable() {}

  /** Creates the tables on SQLite, or moves them to the current layout; on PostgreSQL, Flyway has made them. */
  static Void ensure(Connection connection) throws SQLException {
    if (!ArchiveLocation.isSqlite(connection)) {
      return null;
    }
    try (Statement statement = connection.createStatement()) {
      if (primaryKeyColumns(connection) == 3) {
        // the first layout had a row per message; a message edited to hold another file needs one per file
        statement.executeUpdate(MEDIA_TABLE.formatted("media_next"));
        statement.executeUpdate("INSERT INTO media_next SELECT * FROM media");
        statement.executeUpdate("DROP TABLE media");
        statement.executeUpdate("ALTER TABLE media_next RENAME TO media");
      }
      for (String sql : SCHEMA) {
        statement.executeUpdate(sql);
      }
    }
    return null;
  }

  private static int primaryKeyColumns(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT count(*) FROM pragma_table_info('media') WHERE pk > 0")) {
      return row.next() ? row.getInt(1) : 0;
    }
  }

  /** The archive's last message row now: messages after it come from the TDLib instance that runs from now on. */
  static Long lastMessageRow(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT COALESCE(max(rowid), 0) FROM messages")) {
      return row.next() ? row.getLong(1) : 0L;
    }
  }

  /** A download that was running when the node stopped is pending again: nothing of it was marked done. */
  static Integer resumeInterrupted(Connection connection, String account) throws SQLException {
    return update(connection, "UPDATE media SET state = 'pending', updated_at = ? WHERE account = ? "
        + "AND state = 'downloading'", now(), account);
  }

  /**
   * Looks at the next {@code batch} archived messages of the account, and at up to {@code batch} looked at before
   * whose content changed since: each that holds a file gets its row, pending or skipped by the policy, or done at
   * once when the same file (by unique id) is already stored; a file a message held before keeps its row. Answers
   * how many messages were looked at; fewer than {@code batch} means none is left.
   */
  static Integer scan(Connection connection, String account, MediaPolicy policy, int batch) throws SQLException {
    long cursor = cursor(connection, account);
    int changed = rescanChanged(connection, account, policy, batch, cursor);
    int requested = rescanRequested(connection, account, policy, batch, cursor);
    int looked = 0;
    try (PreparedStatement select = connection.prepareStatement(MESSAGES
        + "WHERE m.account = ? AND m.rowid > ? ORDER BY m.rowid LIMIT ?")) {
      bind(select, account, cursor, batch);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          looked++;
          cursor = rows.getLong("row_id");
          add(connection, account, rows, policy);
        }
      }
    }
    update(connection, "INSERT INTO media_scan (account, last_rowid) VALUES (?, ?) "
        + "ON CONFLICT (account) DO UPDATE SET last_rowid = excluded.last_rowid", account, cursor);
    return Math.max(looked, Math.max(changed, requested));
  }

  /** Messages at or before {@code cursor} whose content changed; later ones are the scan's anyway. */
  private static int rescanChanged(Connection connection, String account, MediaPolicy policy, int batch,
      long cursor) throws SQLException {
    List<long[]> seen = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(MESSAGES
        + "JOIN media_changes c ON c.account = m.account AND c.chat_id = m.chat_id AND c.message_id = m.message_id "
        + "WHERE c.account = ? LIMIT ?")) {
      bind(select, account, batch);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          seen.add(new long[] {rows.getLong("chat_id"), rows.getLong("message_id")});
          if (rows.getLong("row_id") <= cursor) {
            add(connection, account, rows, policy);
          }
        }
      }
    }
    for (long[] message : seen) {
      update(connection, "DELETE FROM media_changes WHERE account = ? AND chat_id = ? AND message_id = ?",
          account, message[0], message[1]);
    }
    return seen.size();
  }

  /** Every file of the chat is to be fetched from now on, whatever the policy; its messages are looked at again. */
  static Void requestChat(Connection connection, String account, long chatId) throws SQLException {
    update(connection, "INSERT INTO media_chats (account, chat_id, requested_at, rescan_after) VALUES (?, ?, ?, 0) "
        + "ON CONFLICT (account, chat_id) DO UPDATE SET requested_at = excluded.requested_at, rescan_after = 0",
        account, chatId, now());
    return null;
  }

  /** The next {@code batch} messages of a chat asked for: files the policy skipped are pending now. */
  private static int rescanRequested(Connection connection, String account, MediaPolicy policy, int batch,
      long cursor) throws SQLException {
    long chatId;
    long after;
    try (PreparedStatement select = connection.prepareStatement("SELECT chat_id, rescan_after FROM media_chats "
        + "WHERE account = ? AND rescan_after IS NOT NULL LIMIT 1")) {
      bind(select, account);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return 0;
        }
        chatId = row.getLong(1);
        after = row.getLong(2);
      }
    }
    int looked = 0;
    try (PreparedStatement select = connection.prepareStatement(MESSAGES
        + "WHERE m.account = ? AND m.chat_id = ? AND m.message_id > ? ORDER BY m.message_id LIMIT ?")) {
      bind(select, account, chatId, after, batch);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          looked++;
          after = rows.getLong("message_id");
          if (rows.getLong("row_id") <= cursor && rows.getString("raw_json") != null) {
            update(connection, "DELETE FROM media WHERE account = ? AND chat_id = ? AND message_id = ? "
                + "AND state = 'skipped'", account, chatId, after);
            add(connection, account, rows, policy);
          }
        }
      }
    }
    update(connection, "UPDATE media_chats SET rescan_after = ? WHERE account = ? AND chat_id = ?",
        looked < batch ? null : after, account, chatId);
    return looked;
  }

  private static void add(Connection connection, String account, ResultSet message, MediaPolicy policy)
      throws SQLException {
    String raw = message.getString("raw_json");
    List<MediaContent.File> files = raw == null ? List.of() : MediaContent.files(parse(raw).path("content"));
    if (files.isEmpty()) {
      return;
    }
    int tier = Math.max(1, Math.min(4, message.getInt("tier")));
    MediaPolicy.Decision decision = message.getInt("every_file") == 1 ? MediaPolicy.everything(files)
        : policy.decide(tier, files);
    MediaContent.File file = decision.file();
    boolean deleted = message.getInt("deleted") == 1;
    String state = deleted ? "skipped" : decision.fetch() ? "pending" : "skipped";
    String reason = deleted ? "message deleted before its file was fetched" : decision.skipReason();
    String[] stored = decision.fetch() && !deleted ? stored(connection, file.uniqueId()) : null;
    update(connection, "INSERT INTO media (account, chat_id, message_id, kind, tier, unique_id, file_id, "
            + "message_row, size, state, reason, sha256, path, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        account, message.getLong("chat_id"), message.getLong("message_id"), file.kind(), tier, file.uniqueId(),
        file.fileId(), message.getLong("row_id"), file.size(), stored != null ? "done" : state, reason,
        stored == null ? null : stored[0], stored == null ? null : stored[1], now());
  }

  /** The sha256 and path of the file with this unique id, if it is stored already (for any account). */
  static String[] stored(Connection connection, String uniqueId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT sha256, path FROM media WHERE unique_id = ? AND state = 'done' LIMIT 1")) {
      bind(select, uniqueId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? new String[] {row.getString(1), row.getString(2)} : null;
      }
    }
  }

  /**
   * Claims up to {@code limit} pending files in priority order (tier, then archive order), one per unique id and none
   * of {@code busy}: they are {@code downloading} from now on, until done, failed, or the node's next start.
   */
  static List<Pending> claim(Connection connection, String account, int limit, Collection<String> busy)
      throws SQLException {
    List<Pending> claimed = new ArrayList<>();
    if (limit <= 0) {
      return claimed;
    }
    Set<String> taken = new HashSet<>(busy);
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT chat_id, message_id, kind, tier, unique_id, file_id, message_row, size, attempts FROM media "
            + "WHERE account = ? AND state = 'pending' ORDER BY tier, rowid LIMIT ?")) {
      bind(select, account, 4 * limit + busy.size());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next() && claimed.size() < limit) {
          Pending next = new Pending(rows.getLong(1), rows.getLong(2), rows.getString(3), rows.getInt(4),
              rows.getString(5), rows.getInt(6), rows.getLong(7), rows.getLong(8), rows.getInt(9));
          // a second message of the same file waits: the first one's download makes it done too
          if (taken.add(next.uniqueId())) {
            claimed.add(next);
          }
        }
      }
    }
    String now = now();
    for (Pending file : claimed) {
      update(connection, "UPDATE media SET state = 'downloading', updated_at = ? WHERE account = ? AND chat_id = ? "
          + "AND message_id = ? AND unique_id = ?", now, account, file.chatId(), file.messageId(), file.uniqueId());
    }
    return claimed;
  }

  /** The file is durable in the store: every message of the account waiting for that unique id has it now. */
  static Integer markDone(Connection connection, String account, String uniqueId, MediaStore.Stored stored)
      throws SQLException {
    return update(connection, "UPDATE media SET state = 'done', sha256 = ?, path = ?, reason = NULL, "
            + "updated_at = ? WHERE account = ? AND unique_id = ? AND state IN ('pending', 'downloading')",
        stored.sha256(), stored.path(), now(), account, uniqueId);
  }

  /** A try failed: pending again for the next, or failed for good after {@code maxAttempts} (or at once). */
  static Integer markFailed(Connection connection, String account, Pending file, String error, boolean giveUp,
      int maxAttempts) throws SQLException {
    return update(connection, "UPDATE media SET attempts = attempts + 1, reason = ?, updated_at = ?, "
            + "state = CASE WHEN ? OR attempts + 1 >= ? THEN 'failed' ELSE 'pending' END "
            + "WHERE account = ? AND chat_id = ? AND message_id = ? AND unique_id = ?",
        error, now(), giveUp, maxAttempts, account, file.chatId(), file.messageId(), file.uniqueId());
  }

  /** Files and bytes by state. */
  static Map<String, Count> counts(Connection connection, String account) throws SQLException {
    Map<String, Count> counts = new LinkedHashMap<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT state, count(*), COALESCE(sum(size), 0) FROM media WHERE account = ? GROUP BY state")) {
      bind(select, account);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          counts.put(rows.getString(1), new Count(rows.getLong(2), rows.getLong(3)));
        }
      }
    }
    return counts;
  }

  private static long cursor(Connection connection, String account) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT last_rowid FROM media_scan WHERE account = ?")) {
      bind(select, account);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  private static String quoted(List<String> values) {
    return "'" + String.join("', '", values) + "'";
  }

  private static JsonNode parse(String raw) {
    try {
      return JSON.readTree(raw);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

}
