package dev.tg.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.config.OwnerOnlyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The archive's writer: batched, idempotent upserts in one transaction each, on one connection (SQLite has
 * one writer). Not thread-safe: {@link Archive} calls it from its single blocking thread.
 */
public final class ArchiveStore implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Connection connection;
  private boolean grouped;

  private ArchiveStore(Connection connection) {
    this.connection = connection;
  }

  /** Opens (and creates, owner-only) the archive file with its schema. */
  public static ArchiveStore open(Path file) {
    try {
      OwnerOnlyFiles.createFile(file);
      Properties pragmas = new Properties();
      pragmas.setProperty("journal_mode", "WAL");
      // FULL: a stored batch survives power loss too, so a cursor event never outlives its messages
      pragmas.setProperty("synchronous", "FULL");
      pragmas.setProperty("busy_timeout", "10000");
      pragmas.setProperty("transaction_mode", "IMMEDIATE");
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file, pragmas);
      applySchema(connection);
      connection.setAutoCommit(false);
      return new ArchiveStore(connection);
    } catch (SQLException e) {
      throw new ArchiveException("cannot open the archive " + file, e);
    }
  }

  private static void applySchema(Connection connection) throws SQLException {
    try (InputStream in = ArchiveStore.class.getResourceAsStream("/archive/schema.sql");
        Statement statement = connection.createStatement()) {
      String schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      connection.setAutoCommit(true);
      // executeUpdate runs one statement at a time; split on the blank-line-free statement ends
      for (String sql : SqlScript.statements(schema)) {
        statement.executeUpdate(sql);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The archive's answer to one batch: how many rows were new, and the chat's total afterwards. */
  public record Stored(int inserted, long archivedTotal) {}

  /** Stores fetched messages; messages already archived are kept, or versioned when the fetched one is newer. */
  public Stored storeMessages(String account, long chatId, List<MessageRecord> messages) {
    return inTransaction(() -> {
      int inserted = upsertMessages(account, chatId, messages);
      return new Stored(inserted, addToCount(account, chatId, inserted));
    });
  }

  /** Applies live changes in order: new messages, content changes with their versions, deletions. */
  public Stored applyChanges(String account, long chatId, List<MessageChange> changes) {
    return inTransaction(() -> {
      int inserted = 0;
      for (MessageChange change : changes) {
        if (change instanceof MessageChange.Added added) {
          inserted += upsertMessages(account, chatId, List.of(added.message()));
        } else if (change instanceof MessageChange.ContentChanged changed) {
          replaceContent(account, chatId, changed.messageId(), changed.contentJson(), changed.text());
        } else if (change instanceof MessageChange.Edited edited) {
          update("UPDATE messages SET edit_date = ? WHERE account = ? AND chat_id = ? AND message_id = ?",
              edited.editDate(), account, chatId, edited.messageId());
        } else if (change instanceof MessageChange.Deleted deleted) {
          for (long messageId : deleted.messageIds()) {
            update("UPDATE messages SET deleted = 1, deleted_at = ? "
                    + "WHERE account = ? AND chat_id = ? AND message_id = ? AND deleted = 0",
                now(), account, chatId, messageId);
          }
        }
      }
      return new Stored(inserted, addToCount(account, chatId, inserted));
    });
  }

  private int upsertMessages(String account, long chatId, List<MessageRecord> messages) throws SQLException {
    Map<Long, Integer> archivedEditDates = archivedEditDates(account, chatId, messages);
    int inserted = 0;
    String archivedAt = now();
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO messages (account, chat_id, message_id, sender_id, date, edit_date, is_outgoing, "
            + "content_type, text, reply_to_message_id, media_album_id, archived_at, raw_json) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (MessageRecord message : messages) {
        Integer archivedEditDate = archivedEditDates.get(message.id());
        if (archivedEditDate == null) {
          bind(insert, account, chatId, message.id(), message.senderId(), message.date(), message.editDate(),
              message.outgoing() ? 1 : 0, message.contentType(), message.text(), message.replyToMessageId(),
              message.mediaAlbumId(), archivedAt, message.rawJson());
          insert.addBatch();
          inserted++;
        } else if (message.editDate() > archivedEditDate) {
          replaceContent(account, chatId, message.id(), contentOf(message.rawJson()), message.text());
          update("UPDATE messages SET edit_date = ? WHERE account = ? AND chat_id = ? AND message_id = ?",
              message.editDate(), account, chatId, message.id());
        }
      }
      insert.executeBatch();
    }
    return inserted;
  }

  private Map<Long, Integer> archivedEditDates(String account, long chatId, List<MessageRecord> messages)
      throws SQLException {
    Map<Long, Integer> editDates = new HashMap<>();
    if (messages.isEmpty()) {
      return editDates;
    }
    long min = messages.stream().mapToLong(MessageRecord::id).min().orElseThrow();
    long max = messages.stream().mapToLong(MessageRecord::id).max().orElseThrow();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT message_id, edit_date FROM messages "
            + "WHERE account = ? AND chat_id = ? AND message_id BETWEEN ? AND ?")) {
      bind(select, account, chatId, min, max);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          editDates.put(rows.getLong(1), rows.getInt(2));
        }
      }
    }
    return editDates;
  }

  /** Keeps the archived content as the next version, then puts the new content in the message. */
  private void replaceContent(String account, long chatId, long messageId, String contentJson, String text)
      throws SQLException {
    try (PreparedStatement current = connection.prepareStatement(
        "SELECT edit_date, content_type, text, raw_json FROM messages "
            + "WHERE account = ? AND chat_id = ? AND message_id = ?")) {
      bind(current, account, chatId, messageId);
      try (ResultSet row = current.executeQuery()) {
        if (!row.next()) {
          return; // not archived yet: history will bring the edited message
        }
        ObjectNode message = (ObjectNode) JSON.readTree(row.getString(4));
        update("INSERT INTO message_versions (account, chat_id, message_id, version, edit_date, content_type, "
                + "text, content_json, replaced_at) SELECT ?, ?, ?, COALESCE(MAX(version), 0) + 1, ?, ?, ?, ?, ? "
                + "FROM message_versions WHERE account = ? AND chat_id = ? AND message_id = ?",
            account, chatId, messageId, row.getInt(1), row.getString(2), row.getString(3),
            message.path("content").toString(), now(), account, chatId, messageId);
        ObjectNode content = (ObjectNode) JSON.readTree(contentJson);
        message.set("content", content);
        update("UPDATE messages SET content_type = ?, text = ?, raw_json = ? "
                + "WHERE account = ? AND chat_id = ? AND message_id = ?",
            content.path("@type").asText(), text, message.toString(), account, chatId, messageId);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String contentOf(String rawMessage) {
    try {
      return JSON.readTree(rawMessage).path("content").toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long addToCount(String account, long chatId, int inserted) throws SQLException {
    update("INSERT INTO chat_message_counts (account, chat_id, archived) VALUES (?, ?, ?) "
        + "ON CONFLICT DO UPDATE SET archived = archived + excluded.archived", account, chatId, inserted);
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT archived FROM chat_message_counts WHERE account = ? AND chat_id = ?")) {
      bind(select, account, chatId);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  public void saveChat(String account, ChatRecord chat) {
    inTransaction(() -> update(
        "INSERT INTO chats (account, chat_id, chat_type, title, member_count, upgraded_to_chat_id, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET chat_type = excluded.chat_type, "
            + "title = excluded.title, member_count = excluded.member_count, "
            + "upgraded_to_chat_id = COALESCE(excluded.upgraded_to_chat_id, upgraded_to_chat_id), "
            + "updated_at = excluded.updated_at",
        account, chat.id(), chat.type(), chat.title(), chat.memberCount(),
        chat.upgradedToChatId() == 0 ? null : chat.upgradedToChatId(), now()));
  }

  /** Replaces the whole contact list in one transaction: readers see the old list or the new one. */
  public void replaceContacts(String account, List<UserRecord> contacts) {
    inTransaction(() -> {
      update("DELETE FROM contacts WHERE account = ?", account);
      for (UserRecord user : contacts) {
        saveUserRows(account, user);
      }
      return null;
    });
  }

  /** A user seen in an update: kept in users, and in contacts while it is one. */
  public void saveUser(String account, UserRecord user) {
    inTransaction(() -> {
      saveUserRows(account, user);
      if (!user.contact()) {
        update("DELETE FROM contacts WHERE account = ? AND user_id = ?", account, user.id());
      }
      return null;
    });
  }

  private void saveUserRows(String account, UserRecord user) throws SQLException {
    String now = now();
    update("INSERT INTO users (account, user_id, first_name, last_name, username, phone, raw_json, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET first_name = excluded.first_name, "
            + "last_name = excluded.last_name, username = excluded.username, phone = excluded.phone, "
            + "raw_json = excluded.raw_json, updated_at = excluded.updated_at",
        account, user.id(), user.firstName(), user.lastName(), user.username(), user.phoneNumber(),
        user.rawJson(), now);
    if (user.contact()) {
      update("INSERT INTO contacts (account, user_id, username, first_name, last_name, phone, is_mutual, "
              + "last_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
              + "username = excluded.username, first_name = excluded.first_name, last_name = excluded.last_name, "
              + "phone = excluded.phone, is_mutual = excluded.is_mutual, last_seen = excluded.last_seen, "
              + "updated_at = excluded.updated_at",
          account, user.id(), user.username(), user.firstName(), user.lastName(), user.phoneNumber(),
          user.mutualContact() ? 1 : 0, user.lastSeenEpochSeconds() == 0 ? null : user.lastSeenEpochSeconds(), now);
    }
  }

  /** The design's {@code chat_sync_state} rows, each replaced whole; {@code accounts} pairs with {@code rows}. */
  public void saveSyncStates(List<String> accounts, List<SyncStateRow> rows) {
    inTransaction(() -> {
      try (PreparedStatement replace = connection.prepareStatement(
          "INSERT OR REPLACE INTO chat_sync_state (account, chat_id, chat_type, title, member_count, "
              + "forward_cursor, backward_cursor, sync_priority, sync_enabled, history_complete, access, "
              + "total_messages, synced_messages, last_forward_sync, last_backward_sync, updated_at) "
              + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
      return null;
    });
  }

  /** A new row in {@code sync_jobs}, running from now; returns its id. */
  public long jobStarted(String account, long chatId, String jobType, int priority, long cursorStart) {
    return inTransaction(() -> {
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
    });
  }

  /** Ends a job row: {@code completed} or {@code failed} with its error. */
  public void jobEnded(long jobId, String status, long cursorEnd, long messagesFetched, String error) {
    inTransaction(() -> update(
        "UPDATE sync_jobs SET status = ?, cursor_end = ?, messages_fetched = ?, error_message = ?, "
            + "completed_at = ? WHERE id = ?",
        status, cursorEnd == 0 ? null : cursorEnd, messagesFetched, error, now(), jobId));
  }

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** One write of a group: its result, or why it failed (and was rolled back alone). */
  public record Outcome(Object value, RuntimeException failure) {}

  /**
   * Runs several writes in one transaction, so that they cost one sync to disk together; a write that fails is
   * rolled back to its savepoint without touching the others. Nothing is durable before this returns.
   */
  public List<Outcome> runGrouped(List<Function<ArchiveStore, ?>> writes) {
    grouped = true;
    try {
      List<Outcome> outcomes = new ArrayList<>();
      for (Function<ArchiveStore, ?> write : writes) {
        try {
          outcomes.add(new Outcome(write.apply(this), null));
        } catch (RuntimeException e) {
          outcomes.add(new Outcome(null, e));
        }
      }
      connection.commit();
      return outcomes;
    } catch (SQLException e) {
      rollback(e);
      throw new ArchiveException("archive write failed", e);
    } finally {
      grouped = false;
    }
  }

  private <T> T inTransaction(SqlWork<T> work) {
    if (grouped) {
      return inSavepoint(work);
    }
    try {
      T result = work.run();
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e instanceof ArchiveException archive ? archive : new ArchiveException("archive write failed", e);
    }
  }

  private <T> T inSavepoint(SqlWork<T> work) {
    Savepoint savepoint = null;
    try {
      savepoint = connection.setSavepoint();
      T result = work.run();
      connection.releaseSavepoint(savepoint);
      return result;
    } catch (SQLException | RuntimeException e) {
      if (savepoint != null) {
        try {
          connection.rollback(savepoint);
          connection.releaseSavepoint(savepoint);
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
      }
      throw e instanceof ArchiveException archive ? archive : new ArchiveException("archive write failed", e);
    }
  }

  private void rollback(Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException rollback) {
      cause.addSuppressed(rollback);
    }
  }

  private int update(String sql, Object... values) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, values);
      return statement.executeUpdate();
    }
  }

  private static void bind(PreparedStatement statement, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      statement.setObject(i + 1, values[i]);
    }
  }

  private static String now() {
    return Instant.now().toString();
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new ArchiveException("cannot close the archive", e);
    }
  }
}
