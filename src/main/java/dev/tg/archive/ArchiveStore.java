package dev.tg.archive;

import dev.tg.cluster.WriteFence;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The archive's writer: batched, idempotent upserts in one transaction each, on one connection (SQLite has
 * one writer; on PostgreSQL there is one per node, each writing its own accounts). Not thread-safe: {@link Archive}
 * calls it from its single blocking thread.
 */
public final class ArchiveStore implements AutoCloseable {
  private final ArchiveLocation location;
  private Connection connection;
  private MessageWriter messageWriter;
  private RecordWriter records;
  private long pageLimit;
  private boolean grouped;
  private final FenceAdmissions admissions = new FenceAdmissions();

  private ArchiveStore(ArchiveLocation location, Connection connection) {
    this.location = location;
    this.connection = connection;
    this.messageWriter = new MessageWriter(connection);
    this.records = new RecordWriter(connection);
  }

  /** Opens the archive file (created owner-only) with its schema. */
  public static ArchiveStore open(Path file) {
    return open(new ArchiveLocation.SqliteFile(file));
  }

  /** Opens the archive, creating or migrating its tables. */
  public static ArchiveStore open(ArchiveLocation location) {
    return new ArchiveStore(location, connect(location));
  }

  private static Connection connect(ArchiveLocation location) {
    try {
      return location.openForWriting();
    } catch (SQLException | RuntimeException e) {
      throw new ArchiveException("cannot open the archive " + location.describe() + ": " + Storage.describe(e), e);
    }
  }

  public ArchiveLocation location() {
    return location;
  }

  /** The archive's answer to one batch: how many rows were new, and the chat's total afterwards. */
  public record Stored(int inserted, long archivedTotal) {}

  /** Stores messages and claims nothing about what else exists around them. */
  public Stored storeMessages(String account, long chatId, List<MessageRecord> messages) {
    return inTransaction(account, () -> {
      int inserted = messageWriter.upsert(account, chatId, messages).inserted();
      return new Stored(inserted, messageWriter.addToCount(account, chatId, inserted));
    });
  }

  /**
   * Stores the messages of an export that the archive does not hold yet, each marked imported from {@code source};
   * what the archive already has (from the node or an earlier import) is left as it is.
   */
  public Stored storeImported(String account, long chatId, List<ImportRecord> records, String source) {
    return inTransaction(account, () -> {
      List<MessageRecord> absent = messageWriter.absent(account, chatId,
          records.stream().map(ImportRecord::message).toList());
      Set<Long> absentIds = new HashSet<>();
      absent.forEach(message -> absentIds.add(message.id()));
      int inserted = messageWriter.upsert(account, chatId, absent).inserted();
      messageWriter.markImported(account, chatId,
          records.stream().filter(record -> absentIds.contains(record.message().id())).toList(), source);
      return new Stored(inserted, messageWriter.addToCount(account, chatId, inserted));
    });
  }

  /**
   * Stores a history page that shows every message of [coveredFrom, coveredTo]: new messages are inserted, archived
   * ones versioned when the page's edit is newer, and changes kept for messages of that range that the page does
   * not hold are dropped (those messages are gone).
   */
  public Stored storePage(String account, long chatId, List<MessageRecord> messages, long coveredFrom,
      long coveredTo) {
    return inTransaction(account, () -> {
      int inserted = messageWriter.upsert(account, chatId, messages).inserted();
      messageWriter.dropPending(account, chatId, coveredFrom, coveredTo);
      return new Stored(inserted, messageWriter.addToCount(account, chatId, inserted));
    });
  }

  /** Applies live changes in order: new messages, edits with their versions, content updates, deletions. */
  public Stored applyChanges(String account, long chatId, List<MessageChange> changes) {
    return inTransaction(account, () -> {
      int inserted = 0;
      for (MessageChange change : changes) {
        if (change instanceof MessageChange.Added added) {
          inserted += messageWriter.upsert(account, chatId, List.of(added.message())).inserted();
        } else {
          messageWriter.apply(account, chatId, change);
        }
      }
      return new Stored(inserted, messageWriter.addToCount(account, chatId, inserted));
    });
  }

  /** What a re-sweep found: messages new to the archive, edits and deletions it had missed. */
  public record Reconciled(int inserted, int edited, int deleted, long archivedTotal) {}

  /**
   * A re-read of [from, to], a range the page shows completely: stores the page like {@link #storePage} and marks
   * deleted every archived message of the range that is no longer there.
   */
  public Reconciled reconcile(String account, long chatId, List<MessageRecord> messages, long from, long to) {
    return inTransaction(account, () -> {
      MessageWriter.Upserted upserted = messageWriter.upsert(account, chatId, messages);
      Set<Long> present = new HashSet<>();
      messages.forEach(message -> present.add(message.id()));
      int deleted = messageWriter.markMissingDeleted(account, chatId, present, from, to);
      messageWriter.dropPending(account, chatId, from, to);
      return new Reconciled(upserted.inserted(), upserted.edited(), deleted,
          messageWriter.addToCount(account, chatId, upserted.inserted()));
    });
  }

  public void saveChat(String account, ChatRecord chat) {
    write(account, () -> records.saveChat(account, chat));
  }

  /** A chat known only from an export: what the node learns of it later wins. */
  public void saveChatIfUnknown(String account, ChatRecord chat) {
    write(account, () -> records.saveChatIfUnknown(account, chat));
  }

  /** A user known only by name from an export (never a contact): what the node learns of it later wins. */
  public void saveUserIfUnknown(String account, UserRecord user) {
    write(account, () -> records.saveUserIfUnknown(account, user));
  }

  /** Replaces the whole contact list in one transaction: readers see the old list or the new one. */
  public void replaceContacts(String account, List<UserRecord> contacts) {
    write(account, () -> records.replaceContacts(account, contacts));
  }

  /** A user seen in an update: kept in users, and in contacts while it is one. */
  public void saveUser(String account, UserRecord user) {
    write(account, () -> records.saveUser(account, user));
  }

  /**
   * The design's {@code chat_sync_state} rows, each replaced whole; {@code accounts} pairs with {@code rows}. The
   * rows of an account whose writes the fence refuses are left out.
   */
  public void saveSyncStates(List<String> accounts, List<SyncStateRow> rows) {
    write(() -> {
      List<String> admittedAccounts = new ArrayList<>();
      List<SyncStateRow> admittedRows = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (admits(accounts.get(i))) {
          admittedAccounts.add(accounts.get(i));
          admittedRows.add(rows.get(i));
        }
      }
      records.saveSyncStates(admittedAccounts, admittedRows);
    });
  }

  /** A new row in {@code sync_jobs}, running from now; returns its id. */
  public long jobStarted(String account, long chatId, String jobType, int priority, long cursorStart) {
    return inTransaction(account, () -> records.jobStarted(account, chatId, jobType, priority, cursorStart));
  }

  /** Ends a job row: {@code completed} or {@code failed} with its error. */
  public void jobEnded(String account, long jobId, String status, long cursorEnd, long messagesFetched,
      String error) {
    write(account, () -> records.jobEnded(jobId, status, cursorEnd, messagesFetched, error));
  }

  private interface SqlStep {
    void run() throws SQLException;
  }

  private void write(SqlStep step) {
    inTransaction(() -> {
      step.run();
      return null;
    });
  }

  private void write(String account, SqlStep step) {
    inTransaction(account, () -> {
      step.run();
      return null;
    });
  }

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** SQL of a feature that keeps tables of its own in the archive (the media table). */
  public interface ConnectionWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code work} on the writer's connection, as one write of its own or as part of the group. */
  public <T> T onConnection(ConnectionWork<T> work) {
    return inTransaction(() -> work.run(connection));
  }

  /** {@link #onConnection(ConnectionWork)} for work on {@code account}'s rows: the fence must admit it. */
  public <T> T onConnection(String account, ConnectionWork<T> work) {
    return inTransaction(account, () -> work.run(connection));
  }

  /**
   * From now on each write of an account's rows first asks {@code fence}, in its own transaction, and is refused
   * (an {@link ArchiveException}, nothing written) when the fence does not admit it.
   */
  public void fenceWith(WriteFence fence) {
    admissions.fenceWith(fence);
  }

  /** One write of a group: its result, or why it failed (and was rolled back alone). */
  public record Outcome(Object value, Throwable failure) {}

  /**
   * Runs several writes in one transaction, so that they cost one sync to disk together; a write that fails (an
   * Error too) is rolled back to its savepoint without touching the others. A full disk, an I/O error or a damaged
   * file fails the whole group with SQLite's own error: SQLite may have rolled the whole transaction back already.
   * Nothing is durable before this returns.
   */
  public List<Outcome> runGrouped(List<Function<ArchiveStore, ?>> writes) {
    grouped = true;
    try {
      List<Outcome> outcomes = new ArrayList<>();
      for (Function<ArchiveStore, ?> write : writes) {
        admissions.writeStarted();
        Savepoint savepoint = connection.setSavepoint();
        try {
          outcomes.add(new Outcome(write.apply(this), null));
        } catch (RuntimeException | Error e) {
          if (Storage.isStorageFailure(e)) {
            throw abort(e);
          }
          rollBackTo(savepoint, e);
          outcomes.add(new Outcome(null, e));
        }
        connection.releaseSavepoint(savepoint);
      }
      commit();
      return outcomes;
    } catch (SQLException e) {
      throw abort(e);
    } finally {
      grouped = false;
    }
  }

  /** Runs {@code work} as one transaction: everything it writes is kept, or, when it fails, nothing. */
  public <T> T atomically(Function<ArchiveStore, T> work) {
    if (grouped) {
      return work.apply(this);
    }
    grouped = true;
    try {
      T result = work.apply(this);
      commit();
      return result;
    } catch (SQLException e) {
      throw abort(e);
    } catch (RuntimeException | Error e) {
      abort(e);
      throw e;
    } finally {
      grouped = false;
    }
  }

  private void rollBackTo(Savepoint savepoint, Throwable failure) {
    admissions.writeRolledBack();
    try {
      connection.rollback(savepoint);
    } catch (SQLException rollback) {
      failure.addSuppressed(rollback);
      throw abort(failure);
    }
  }

  /** {@link #inTransaction(SqlWork)} of a write on {@code account}'s rows, refused unless the fence admits it. */
  private <T> T inTransaction(String account, SqlWork<T> work) {
    return inTransaction(() -> {
      if (!admits(account)) {
        throw new ArchiveException("the lease of account " + account + " is no longer this node's: write refused",
            null);
      }
      return work.run();
    });
  }

  private boolean admits(String account) throws SQLException {
    return admissions.admits(connection, account);
  }

  private void commit() throws SQLException {
    connection.commit();
    admissions.transactionEnded();
  }

  /** A write of its own, or, inside a group, a part of the group's transaction (rolled back by the group). */
  private <T> T inTransaction(SqlWork<T> work) {
    try {
      T result = work.run();
      if (!grouped) {
        commit();
      }
      return result;
    } catch (SQLException | RuntimeException e) {
      if (grouped) {
        throw e instanceof ArchiveException archive ? archive : failed(e);
      }
      throw abort(e);
    }
  }

  /**
   * Rolls the whole transaction back after {@code cause}, and answers the exception to throw: it names the
   * cause, never the rollback's complaint. When SQLite has rolled back by itself (a full disk does), the
   * connection cannot start a transaction again, so a new one replaces it.
   */
  private ArchiveException abort(Throwable cause) {
    admissions.transactionEnded();
    try {
      connection.rollback();
    } catch (SQLException rollback) {
      cause.addSuppressed(rollback);
      reconnect(cause);
    }
    return cause instanceof ArchiveException archive ? archive : failed(cause);
  }

  private static ArchiveException failed(Throwable cause) {
    return new ArchiveException("archive write failed: " + Storage.describe(cause), cause);
  }

  private void reconnect(Throwable cause) {
    try {
      Connection stale = connection;
      connection = connect(location);
      messageWriter = new MessageWriter(connection);
      records = new RecordWriter(connection);
      stale.close();
      if (pageLimit > 0) {
        sqliteFile().limitPages(connection, pageLimit);
      }
    } catch (RuntimeException | SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** The room left inside the archive's own limit (on SQLite its {@code max_page_count}), in bytes. */
  public long roomLeft() {
    return inTransaction(() -> location.roomLeft(connection));
  }

  /**
   * Caps a SQLite archive at {@code maxPages} pages (SQLite's {@code max_page_count}): past it every write fails as
   * on a full disk. For tests and drills of a full disk; a larger value lifts the cap.
   */
  public void limitPages(long maxPages) {
    pageLimit = maxPages;
    inTransaction(() -> {
      sqliteFile().limitPages(connection, maxPages);
      return null;
    });
  }

  private ArchiveLocation.SqliteFile sqliteFile() {
    if (location instanceof ArchiveLocation.SqliteFile file) {
      return file;
    }
    throw new UnsupportedOperationException("a page limit is SQLite's: the archive is on " + location.describe());
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
