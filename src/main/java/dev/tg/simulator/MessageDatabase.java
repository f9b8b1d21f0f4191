package dev.tg.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The disk cost of TDLib's message database: MessagesManager::add_message_to_database keeps every message TDLib
 * received in the {@code messages} table of {@code db.sqlite} (TdDb.cpp get_sqlite_path, MessageDb.cpp), keyed by
 * dialog_id and message_id. Here the value is the message's JSON. Writes are buffered and go out in one transaction
 * per {@link #flush}; the connection opens on the first write and closes with {@link #close}.
 */
final class MessageDatabase implements AutoCloseable {
  private record Key(long chatId, long messageId) {}

  private final Path file;
  /** Messages to write, their JSON; null for a message to delete. */
  private final Map<Key, String> pending = new LinkedHashMap<>();
  private Connection connection;

  MessageDatabase(Path file) {
    this.file = file;
  }

  /** TdDb.cpp get_sqlite_path: db.sqlite in the database directory, db_test.sqlite for the test DC. */
  static Path file(Path databaseDirectory, boolean testDc) {
    return databaseDirectory.resolve(testDc ? "db_test.sqlite" : "db.sqlite");
  }

  Path file() {
    return file;
  }

  void store(long chatId, long messageId, ObjectNode message) {
    pending.put(new Key(chatId, messageId), message.toString());
  }

  /** MessagesManager::delete_message_from_database: a permanently deleted message leaves the database too. */
  void delete(long chatId, long[] messageIds) {
    for (long messageId : messageIds) {
      pending.put(new Key(chatId, messageId), null);
    }
  }

  /** getChatHistory's window (see {@link ChatHistory#page}) over the messages of the chat in the database. */
  List<ObjectNode> page(long chatId, long fromMessageId, int offset, int limit) {
    flush();
    List<ObjectNode> page = new ArrayList<>();
    if (connection == null && !Files.exists(file)) {
      return page;
    }
    List<ObjectNode> newer = select(
        "SELECT data FROM messages WHERE dialog_id = ? AND message_id >= ? ORDER BY message_id LIMIT ?",
        chatId, fromMessageId, -offset);
    for (int i = newer.size() - 1; i >= 0; i--) {
      page.add(newer.get(i));
    }
    page.addAll(select(
        "SELECT data FROM messages WHERE dialog_id = ? AND message_id < ? ORDER BY message_id DESC LIMIT ?",
        chatId, fromMessageId, limit - newer.size()));
    return page;
  }

  /** Writes what is pending in one transaction. */
  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    try {
      Connection db = connection();
      try (PreparedStatement insert = db.prepareStatement(
              "INSERT OR REPLACE INTO messages (dialog_id, message_id, data) VALUES (?, ?, ?)");
          PreparedStatement delete = db.prepareStatement(
              "DELETE FROM messages WHERE dialog_id = ? AND message_id = ?")) {
        for (Map.Entry<Key, String> entry : pending.entrySet()) {
          PreparedStatement statement = entry.getValue() == null ? delete : insert;
          statement.setLong(1, entry.getKey().chatId());
          statement.setLong(2, entry.getKey().messageId());
          if (entry.getValue() != null) {
            statement.setString(3, entry.getValue());
          }
          statement.addBatch();
        }
        insert.executeBatch();
        delete.executeBatch();
      }
      db.commit();
      pending.clear();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write the simulated message database " + file, e);
    }
  }

  /** Flushes and closes the connection; a later write opens it again. */
  @Override
  public void close() {
    flush();
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close the simulated message database " + file, e);
    } finally {
      connection = null;
    }
  }

  /** TdDb::destroy on logOut: the database goes with the session. */
  void destroy() {
    pending.clear();
    close();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      try {
        Files.createDirectories(file.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      connection = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement statement = connection.createStatement()) {
        // the cost to imitate is the disk, not durability: no fsync
        statement.execute("PRAGMA synchronous = OFF");
        statement.execute("CREATE TABLE IF NOT EXISTS messages (dialog_id INT8, message_id INT8, data BLOB, "
            + "PRIMARY KEY (dialog_id, message_id))");
      }
      connection.setAutoCommit(false);
    }
    return connection;
  }

  private List<ObjectNode> select(String sql, long chatId, long messageId, int limit) {
    List<ObjectNode> rows = new ArrayList<>();
    if (limit <= 0) {
      return rows;
    }
    try (PreparedStatement statement = connection().prepareStatement(sql)) {
      statement.setLong(1, chatId);
      statement.setLong(2, messageId);
      statement.setInt(3, limit);
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          rows.add((ObjectNode) TdObjects.JSON.readTree(result.getString(1)));
        }
      }
      return rows;
    } catch (SQLException | JsonProcessingException e) {
      throw new IllegalStateException("cannot read the simulated message database " + file, e);
    }
  }
}
