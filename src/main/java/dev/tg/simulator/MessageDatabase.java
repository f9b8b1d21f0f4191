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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The disk cost of TDLib's message database: MessagesManager::add_message_to_database keeps every message TDLib
 * received in the {@code messages} table of {@code db.sqlite} (TdDb.cpp get_sqlite_path, MessageDb.cpp), keyed by
 * dialog_id and message_id. Here the value is the message's JSON. As TDLib's MessageDbAsync, it writes on a thread of
 * its own, which owns the one connection: {@link #flush} hands it what was stored since, as one transaction. The
 * messages handed over are never changed afterwards, so that thread may render them.
 */
final class MessageDatabase implements AutoCloseable {
  private record Key(long chatId, long messageId) {}

  /** A transaction is worth it from this many messages, or after this long. */
  private static final int BATCH_MESSAGES = 1_000;
  private static final long BATCH_NANOS = 200_000_000L;

  private final Path file;
  /** Messages to write; null for a message to delete. */
  private Map<Key, ObjectNode> pending = new LinkedHashMap<>();
  private ExecutorService writer;
  /** Used by the writer thread only. */
  private Connection connection;
  private volatile RuntimeException failure;
  private long lastFlushNanos = System.nanoTime();

  MessageDatabase(Path file) {
    this.file = file;
  }

  /** TdDb.cpp get_sqlite_path: db.sqlite in the database directory, db_test.sqlite for the test DC. */
  static Path file(Path databaseDirectory, boolean testDc) {
    return databaseDirectory.resolve(testDc ? "db_test.sqlite" : "db.sqlite");
  }

  void store(long chatId, long messageId, ObjectNode message) {
    pending.put(new Key(chatId, messageId), message);
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
    return onWriter(() -> {
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
    });
  }

  /** {@link #flush} once enough is pending, or it has waited long enough. */
  void flushIfDue() {
    if (pending.size() >= BATCH_MESSAGES || System.nanoTime() - lastFlushNanos >= BATCH_NANOS) {
      flush();
    }
  }

  /** Hands what was stored to the writer thread, to write in one transaction. */
  void flush() {
    throwFailure();
    lastFlushNanos = System.nanoTime();
    if (pending.isEmpty()) {
      return;
    }
    Map<Key, ObjectNode> batch = pending;
    pending = new LinkedHashMap<>();
    writer().execute(() -> {
      try {
        write(batch);
      } catch (SQLException | RuntimeException e) {
        failure = new IllegalStateException("cannot write the simulated message database " + file, e);
      }
    });
  }

  /** Writes everything and closes the connection and the writer thread; a later write opens them again. */
  @Override
  public void close() {
    flush();
    if (writer == null) {
      return;
    }
    onWriter(() -> {
      if (connection != null) {
        connection.close();
        connection = null;
      }
      return null;
    });
    writer.shutdown();
    writer = null;
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

  private ExecutorService writer() {
    if (writer == null) {
      writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "simulated-tdlib-message-db");
        thread.setDaemon(true);
        return thread;
      });
    }
    return writer;
  }

  /** Runs on the writer thread after everything handed over before, and waits for it. */
  private <T> T onWriter(Callable<T> action) {
    try {
      T result = writer().submit(action).get();
      throwFailure();
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted using the simulated message database " + file, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot use the simulated message database " + file, e.getCause());
    }
  }

  private void throwFailure() {
    if (failure != null) {
      throw failure;
    }
  }

  private void write(Map<Key, ObjectNode> batch) throws SQLException {
    Connection db = connection();
    try (PreparedStatement insert = db.prepareStatement(
            "INSERT OR REPLACE INTO messages (dialog_id, message_id, data) VALUES (?, ?, ?)");
        PreparedStatement delete = db.prepareStatement("DELETE FROM messages WHERE dialog_id = ? AND message_id = ?")) {
      for (Map.Entry<Key, ObjectNode> entry : batch.entrySet()) {
        PreparedStatement statement = entry.getValue() == null ? delete : insert;
        statement.setLong(1, entry.getKey().chatId());
        statement.setLong(2, entry.getKey().messageId());
        if (entry.getValue() != null) {
          statement.setString(3, entry.getValue().toString());
        }
        statement.addBatch();
      }
      insert.executeBatch();
      delete.executeBatch();
    }
    db.commit();
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
        // the cost to imitate is the disk, not durability
        statement.execute("PRAGMA synchronous = OFF");
        statement.execute("PRAGMA journal_mode = MEMORY");
        statement.execute("CREATE TABLE IF NOT EXISTS messages (dialog_id INT8, message_id INT8, data BLOB, "
            + "PRIMARY KEY (dialog_id, message_id))");
      }
      connection.setAutoCommit(false);
    }
    return connection;
  }

  private List<ObjectNode> select(String sql, long chatId, long messageId, int limit)
      throws SQLException, JsonProcessingException {
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
    }
    return rows;
  }
}
