package dev.tg.archive;

import static dev.tg.archive.Sql.bind;
import static dev.tg.archive.Sql.now;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * Writes what the archive keeps beside messages, inside the caller's transaction: chats, users and contacts, and
 * the design's read models {@code chat_sync_state} and {@code sync_jobs}.
 */
final class RecordWriter {
  private final Connection connection;

  // every column of a chat_sync_state row but its key: a row is replaced whole
  private static final List<String> SYNC_STATE_COLUMNS = List.of("chat_type", "title", "member_count",
      "forward_cursor", "backward_cursor", "sync_priority", "sync_enabled", "history_complete", "access",
      "total_messages", "synced_messages", "last_forward_sync", "last_backward_sync", "updated_at");

  RecordWriter(Connection connection) {
    this.connection = connection;
  }

  void saveChat(String account, ChatRecord chat) throws SQLException {
    update("INSERT INTO chats (account, chat_id, chat_type, title, member_count, upgraded_to_chat_id, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, chat_id) DO UPDATE SET "
            + "chat_type = excluded.chat_type, "
            + "title = excluded.title, member_count = excluded.member_count, "
            + "upgraded_to_chat_id = COALESCE(excluded.upgraded_to_chat_id, chats.upgraded_to_chat_id), "
            + "updated_at = excluded.updated_at",
        account, chat.id(), chat.type(), chat.title(), chat.memberCount(),
        chat.upgradedToChatId() == 0 ? null : chat.upgradedToChatId(), now());
  }

  void saveChatIfUnknown(String account, ChatRecord chat) throws SQLException {
    update("INSERT INTO chats (account, chat_id, chat_type, title, member_count, "
            + "upgraded_to_chat_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        account, chat.id(), chat.type(), chat.title(), chat.memberCount() == 0 ? null : chat.memberCount(),
        chat.upgradedToChatId() == 0 ? null : chat.upgradedToChatId(), now());
  }

  void saveUserIfUnknown(String account, UserRecord user) throws SQLException {
    update("INSERT INTO users (account, user_id, first_name, last_name, username, phone, "
            + "raw_json, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        account, user.id(), user.firstName(), user.lastName(), user.username(), user.phoneNumber(), user.rawJson(),
        now());
  }

  void replaceContacts(String account, List<UserRecord> contacts) throws SQLException {
    update("DELETE FROM contacts WHERE account = ?", account);
    for (UserRecord user : contacts) {
      saveUserRows(account, user);
    }
  }

  void saveUser(String account, UserRecord user) throws SQLException {
    saveUserRows(account, user);
    if (!user.contact()) {
      update("DELETE FROM contacts WHERE account = ? AND user_id = ?", account, user.id());
    }
  }

  private void saveUserRows(String account, UserRecord user) throws SQLException {
    String now = now();
    update("INSERT INTO users (account, user_id, first_name, last_name, username, phone, raw_json, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, user_id) DO UPDATE SET "
            + "first_name = excluded.first_name, "
            + "last_name = excluded.last_name, username = excluded.username, phone = excluded.phone, "
            + "raw_json = excluded.raw_json, updated_at = excluded.updated_at",
        account, user.id(), user.firstName(), user.lastName(), user.username(), user.phoneNumber(),
        user.rawJson(), now);
    if (user.contact()) {
      update("INSERT INTO contacts (account, user_id, username, first_name, last_name, phone, is_mutual, "
              + "last_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
              + "ON CONFLICT (account, user_id) DO UPDATE SET "
              + "username = excluded.username, first_name = excluded.first_name, last_name = excluded.last_name, "
              + "phone = excluded.phone, is_mutual = excluded.is_mutual, last_seen = excluded.last_seen, "
              + "updated_at = excluded.updated_at",
          account, user.id(), user.username(), user.firstName(), user.lastName(), user.phoneNumber(),
          user.mutualContact() ? 1 : 0, user.lastSeenEpochSeconds() == 0 ? null : user.lastSeenEpochSeconds(), now);
    }
  }

  void saveSyncStates(List<String> accounts, List<SyncStateRow> rows) throws SQLException {
    try (PreparedStatement replace = connection.prepareStatement(
        "INSERT INTO chat_sync_state (account, chat_id, " + String.join(", ", SYNC_STATE_COLUMNS) + ") "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, chat_id) DO UPDATE SET "
            + String.join(", ", SYNC_STATE_COLUMNS.stream().map(column -> column + " = excluded." + column)
                .toList()))) {
      String now = now();
      for (int i = 0; i < rows.size(); i++) {
        SyncStateRow row = rows.get(i);
        bind(replace, accounts.get(i), row.chatId(), row.chatType(), row.title(), row.memberCount(),
            row.forwardCursor() == 0 ? null : row.forwardCursor(),
            row.backwardCursor() == 0 ? null : row.backwardCursor(), row.priority(), row.enabled() ? 1 : 0,
            row.historyComplete() ? 1 : 0, row.access(), row.totalMessages() == 0 ? null : row.totalMessages(),
            row.syncedMessages(), text(row.lastForwardSync()), text(row.lastBackwardSync()), now);
        replace.addBatch();
      }
      replace.executeBatch();
    }
  }

  long jobStarted(String account, long chatId, String jobType, int priority, long cursorStart) throws SQLException {
    String now = now();
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO sync_jobs (account, chat_id, job_type, priority, status, cursor_start, created_at, "
            + "started_at) VALUES (?, ?, ?, ?, 'running', ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      bind(insert, account, chatId, jobType, priority, cursorStart == 0 ? null : cursorStart, now, now);
      insert.executeUpdate();
      try (ResultSet key = insert.getGeneratedKeys()) {
        key.next();
        return key.getLong(1);
      }
    }
  }

  void jobEnded(long jobId, String status, long cursorEnd, long messagesFetched, String error) throws SQLException {
    update("UPDATE sync_jobs SET status = ?, cursor_end = ?, messages_fetched = ?, error_message = ?, "
            + "completed_at = ? WHERE id = ?",
        status, cursorEnd == 0 ? null : cursorEnd, messagesFetched, error, now(), jobId);
  }

  private void update(String sql, Object... values) throws SQLException {
    Sql.update(connection, sql, values);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
