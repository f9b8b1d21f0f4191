package dev.tg.archive;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Read-only queries on the archive, on their own connection so that readers never wait for the writer. Used by
 * the node ({@code GET /contacts}) and by the read commands of the CLI, which need no running node.
 */
public final class ArchiveReader implements AutoCloseable {
  static final String MESSAGE_COLUMNS = """
      m.account, m.chat_id, c.title AS chat_title, m.message_id, m.sender_id,
      COALESCE(NULLIF(TRIM(COALESCE(u.first_name, '') || ' ' || COALESCE(u.last_name, '')), ''), sc.title)
        AS sender_name,
      m.date, m.edit_date, m.is_outgoing, m.content_type, m.text, m.reply_to_message_id, m.deleted""";
  static final String MESSAGE_JOINS = """
      LEFT JOIN chats c ON c.account = m.account AND c.chat_id = m.chat_id
      LEFT JOIN users u ON u.account = m.account AND u.user_id = m.sender_id
      LEFT JOIN chats sc ON sc.account = m.account AND sc.chat_id = m.sender_id""";

  private final ArchiveLocation location;
  private final Connection connection;

  private ArchiveReader(ArchiveLocation location, Connection connection) {
    this.location = location;
    this.connection = connection;
  }

  public static ArchiveReader open(Path file) {
    return open(new ArchiveLocation.SqliteFile(file));
  }

  public static ArchiveReader open(ArchiveLocation location) {
    try {
      return new ArchiveReader(location, location.openForReading());
    } catch (SQLException e) {
      throw new ArchiveException("cannot open the archive " + location.describe() + ": " + e.getMessage(), e);
    }
  }

  /** Opens an archive that must exist already (the CLI never creates one). */
  public static ArchiveReader openExisting(Path file) {
    return openExisting(new ArchiveLocation.SqliteFile(file));
  }

  /** Opens an archive that must exist already (the CLI never creates one). */
  public static ArchiveReader openExisting(ArchiveLocation location) {
    if (!location.exists()) {
      throw new ArchiveException("no archive at " + location.describe()
          + " yet: run `tg node` (or `tg node --demo`) to create it", null);
    }
    return open(location);
  }

  /** Whether the archive has this table: one a feature creates when it first runs may not be there yet. */
  public synchronized boolean hasTable(String name) {
    try (ResultSet tables = connection.getMetaData().getTables(null, null, name, new String[] {"TABLE"})) {
      return tables.next();
    } catch (SQLException e) {
      throw new ArchiveException("archive query failed: " + e.getMessage(), e);
    }
  }

  /** One chat as the archive knows it: from {@code chats} and its {@code chat_sync_state} row, if any. */
  public record ChatRow(
      String account,
      long chatId,
      String title,
      String chatType,
      Integer memberCount,
      Long upgradedToChatId,
      Integer priority,
      Boolean enabled,
      Boolean historyComplete,
      String access,
      Long forwardCursor,
      Long backwardCursor,
      Long totalMessages,
      Long syncedMessages,
      long archivedMessages,
      String lastForwardSync,
      String lastBackwardSync) {}

  /** One archived message, with the names of its chat and sender when known. */
  public record MessageRow(
      String account,
      long chatId,
      String chatTitle,
      long messageId,
      Long senderId,
      String senderName,
      Instant date,
      Instant editDate,
      boolean outgoing,
      String contentType,
      String text,
      Long replyToMessageId,
      boolean deleted) {}

  /** Every chat of the account (all accounts if null), by title. */
  public synchronized List<ChatRow> chats(String account) {
    String sql = """
        SELECT k.account, k.chat_id, COALESCE(c.title, s.title, '') AS title,
          COALESCE(c.chat_type, s.chat_type) AS chat_type, COALESCE(s.member_count, c.member_count) AS member_count,
          c.upgraded_to_chat_id, s.sync_priority, s.sync_enabled, s.history_complete, s.access, s.forward_cursor,
          s.backward_cursor, s.total_messages, s.synced_messages, COALESCE(n.archived, 0) AS archived,
          s.last_forward_sync, s.last_backward_sync
        FROM (SELECT account, chat_id FROM chats UNION SELECT account, chat_id FROM chat_sync_state) k
        LEFT JOIN chats c ON c.account = k.account AND c.chat_id = k.chat_id
        LEFT JOIN chat_sync_state s ON s.account = k.account AND s.chat_id = k.chat_id
        LEFT JOIN chat_message_counts n ON n.account = k.account AND n.chat_id = k.chat_id
        WHERE CAST(? AS TEXT) IS NULL OR k.account = ?
        ORDER BY lower(COALESCE(c.title, s.title, '')), k.chat_id""";
    List<ChatRow> chats = new ArrayList<>();
    query(sql, result -> chats.add(new ChatRow(
        result.getString(1), result.getLong(2), result.getString(3), result.getString(4), integer(result, 5),
        longOrNull(result, 6), integer(result, 7), bool(result, 8), bool(result, 9), result.getString(10),
        longOrNull(result, 11), longOrNull(result, 12), longOrNull(result, 13), longOrNull(result, 14),
        result.getLong(15), result.getString(16), result.getString(17))), account, account);
    return unlessDamaged(chats);
  }

  /**
   * The chat and the chats it is one history with: a basic group upgraded to a supergroup reads as one chat with
   * its supergroup, whichever of the two is named.
   */
  public synchronized Set<Long> historyOf(String account, long chatId) {
    Set<Long> linked = new LinkedHashSet<>();
    linked.add(chatId);
    String sql = "SELECT chat_id, upgraded_to_chat_id FROM chats WHERE account = ? AND upgraded_to_chat_id IS NOT NULL";
    Map<Long, Long> upgrades = new LinkedHashMap<>();
    query(sql, result -> upgrades.put(result.getLong(1), result.getLong(2)), account);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Map.Entry<Long, Long> upgrade : upgrades.entrySet()) {
        if (linked.contains(upgrade.getKey()) != linked.contains(upgrade.getValue())) {
          linked.add(upgrade.getKey());
          linked.add(upgrade.getValue());
          grew = true;
        }
      }
    }
    return linked;
  }

  /** One archived message with TDLib's JSON of it, as the archive holds it. */
  public record StoredMessage(MessageRow row, String rawJson) {}

  /** The newest {@code limit} messages of these chats inside the window, oldest first. */
  public synchronized List<MessageRow> history(String account, Collection<Long> chatIds, MessageWindow window,
      int limit) {
    String sql = "SELECT * FROM (SELECT " + MESSAGE_COLUMNS + " FROM messages m " + MESSAGE_JOINS
        + " WHERE m.account = ? AND m.chat_id IN (" + placeholders(chatIds.size()) + ")" + window.sql()
        + " ORDER BY m.date DESC, m.message_id DESC LIMIT ?) page ORDER BY date, message_id";
    List<Object> values = new ArrayList<>();
    values.add(account);
    values.addAll(chatIds);
    values.addAll(window.values());
    values.add(limit);
    List<MessageRow> messages = new ArrayList<>();
    query(sql, result -> messages.add(message(result)), values.toArray());
    return unlessDamaged(messages);
  }

  /** The reads of a chat view (pages, versions), on this reader's connection. */
  public MessagePages pages() {
    return new MessagePages(this);
  }

  /** Every message of these chats inside the window, oldest first, handed over one at a time (for export). */
  public void eachMessage(String account, Collection<Long> chatIds, MessageWindow window,
      Consumer<MessageRow> sink) {
    eachStored(account, chatIds, window, stored -> sink.accept(stored.row()));
  }

  /** Like {@link #eachMessage}, with each message's raw JSON. */
  public synchronized void eachStored(String account, Collection<Long> chatIds, MessageWindow window,
      Consumer<StoredMessage> sink) {
    String sql = "SELECT " + MESSAGE_COLUMNS + ", m.raw_json FROM messages m " + MESSAGE_JOINS
        + " WHERE m.account = ? AND m.chat_id IN (" + placeholders(chatIds.size()) + ")" + window.sql()
        + " ORDER BY m.date, m.message_id";
    List<Object> values = new ArrayList<>();
    values.add(account);
    values.addAll(chatIds);
    values.addAll(window.values());
    long[] seen = {0};
    query(sql, result -> {
      sink.accept(new StoredMessage(message(result), result.getString("raw_json")));
      seen[0]++;
    }, values.toArray());
    if (seen[0] == 0) {
      requireIntact();
    }
  }

  /** The ids of the chat's archived messages (deleted ones too) in [from, to], ascending. */
  public synchronized long[] messageIds(String account, long chatId, long from, long to) {
    List<Long> ids = new ArrayList<>();
    query("SELECT message_id FROM messages WHERE account = ? AND chat_id = ? AND message_id BETWEEN ? AND ? "
        + "ORDER BY message_id", result -> ids.add(result.getLong(1)), account, chatId, from, to);
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Messages whose text contains {@code text} (case-insensitive), newest first: the trigram FTS index for three
   * characters or more, in any script; a scan with LIKE for shorter text. {@code account} and {@code chatIds}
   * may be null for all.
   */
  public synchronized List<MessageRow> search(String text, String account, Collection<Long> chatIds, int limit) {
    List<Object> values = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT " + MESSAGE_COLUMNS + " FROM messages m ");
    ArchiveLocation.TextSearch match = location.containsText(text);
    sql.append(match.join()).append(' ').append(MESSAGE_JOINS).append(" WHERE ").append(match.condition());
    values.add(match.value());
    if (account != null) {
      sql.append(" AND m.account = ?");
      values.add(account);
    }
    if (chatIds != null) {
      sql.append(" AND m.chat_id IN (").append(placeholders(chatIds.size())).append(")");
      values.addAll(chatIds);
    }
    sql.append(" ORDER BY m.date DESC, m.message_id DESC LIMIT ?");
    values.add(limit);
    List<MessageRow> messages = new ArrayList<>();
    query(sql.toString(), result -> messages.add(message(result)), values.toArray());
    return unlessDamaged(messages);
  }

  /** The account's contacts (all accounts if null), by name. */
  public synchronized List<Map<String, Object>> contacts(String account) {
    return rows("SELECT account, user_id, username, first_name, last_name, phone, is_mutual, last_seen, updated_at "
        + "FROM contacts WHERE CAST(? AS TEXT) IS NULL OR account = ? "
        + "ORDER BY first_name NULLS FIRST, last_name NULLS FIRST, user_id", account, account);
  }

  /** Rows as column-name maps, for JSON and tables alike. */
  public synchronized List<Map<String, Object>> rows(String sql, Object... values) {
    List<Map<String, Object>> rows = new ArrayList<>();
    query(sql, result -> {
      ResultSetMetaData columns = result.getMetaData();
      Map<String, Object> row = new LinkedHashMap<>();
      for (int c = 1; c <= columns.getColumnCount(); c++) {
        row.put(columns.getColumnLabel(c), result.getObject(c));
      }
      rows.add(row);
    }, values);
    return rows;
  }

  interface RowReader {
    void read(ResultSet result) throws SQLException;
  }

  void query(String sql, RowReader reader, Object... values) {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 1, values[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          reader.read(result);
        }
      }
    } catch (SQLException e) {
      if (Storage.stateOf(e) == Storage.State.DAMAGED) {
        throw damaged(Storage.describe(e), e);
      }
      throw new ArchiveException("archive query failed: " + e.getMessage(), e);
    }
  }

  /** An empty answer from a damaged archive would read as "nothing there": it is checked, and said so. */
  private <T> List<T> unlessDamaged(List<T> rows) {
    if (rows.isEmpty()) {
      requireIntact();
    }
    return rows;
  }

  private void requireIntact() {
    Integrity.Report report = location.check(connection);
    if (!report.intact()) {
      throw damaged(report.problems().get(0), null);
    }
  }

  private ArchiveException damaged(String problem, Throwable cause) {
    return new ArchiveException("the archive " + location.describe() + " is damaged (" + problem + "); `tg check` "
        + "tells what can be repaired, see docs/keeping-an-archive-safe.md", cause);
  }

  static MessageRow message(ResultSet result) throws SQLException {
    long editDate = result.getLong("edit_date");
    return new MessageRow(
        result.getString("account"),
        result.getLong("chat_id"),
        result.getString("chat_title"),
        result.getLong("message_id"),
        longOrNull(result, "sender_id"),
        result.getString("sender_name"),
        Instant.ofEpochSecond(result.getLong("date")),
        editDate == 0 ? null : Instant.ofEpochSecond(editDate),
        result.getInt("is_outgoing") != 0,
        result.getString("content_type"),
        result.getString("text"),
        nonZero(longOrNull(result, "reply_to_message_id")),
        result.getInt("deleted") != 0);
  }

  static String placeholders(int count) {
    return String.join(", ", java.util.Collections.nCopies(Math.max(1, count), "?"));
  }

  private static Integer integer(ResultSet result, int column) throws SQLException {
    int value = result.getInt(column);
    return result.wasNull() ? null : value;
  }

  private static Long longOrNull(ResultSet result, int column) throws SQLException {
    long value = result.getLong(column);
    return result.wasNull() ? null : value;
  }

  private static Long longOrNull(ResultSet result, String column) throws SQLException {
    long value = result.getLong(column);
    return result.wasNull() ? null : value;
  }

  private static Long nonZero(Long value) {
    return value == null || value == 0 ? null : value;
  }

  private static Boolean bool(ResultSet result, int column) throws SQLException {
    int value = result.getInt(column);
    return result.wasNull() ? null : value != 0;
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new ArchiveException("cannot close the archive", e);
    }
  }
}
