package dev.tg.archive;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Whether the node's storage can take writes: one per node, since every account shares the archive. A full disk
 * or an I/O error is a condition, not a failed write: it pauses history (the chats ask before every request) until
 * a periodic measurement finds room again; a free space below the configured minimum pauses it before the disk is
 * full. A damaged file pauses it until the node is restarted on a repaired one. Each change is logged once.
 */
public final class Storage {
  private static final Logger log = LoggerFactory.getLogger(Storage.class);

  public enum State {
    OK,
    /** Less room than {@code tg.storage.min-free-space}: paused before anything fails. */
    LOW_SPACE,
    /** SQLite said "database or disk is full", or PostgreSQL disk_full. */
    FULL,
    /** SQLite could not read or write its file, or the PostgreSQL server could not be reached. */
    IO_ERROR,
    /** SQLite found its file damaged: only a repair (tg check --repair) or a backup mends it. */
    DAMAGED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The condition and what was last measured; {@code freeBytes} is the least room found (-1 before the first
   * measurement), {@code since} when the state began.
   */
  public record Condition(State state, String problem, long freeBytes, long minFreeBytes, Instant since,
      Instant checkedAt) {
    public boolean paused() {
      return state != State.OK;
    }
  }

  private final List<Consumer<Condition>> listeners = new CopyOnWriteArrayList<>();
  private final RepeatedErrors repeated = new RepeatedErrors(log);
  private volatile Condition condition = new Condition(State.OK, null, -1, 0, Instant.now(), null);

  public Condition condition() {
    return condition;
  }

  public boolean paused() {
    return condition.paused();
  }

  /** Hears every change and every measurement, on the thread that made it. */
  public void subscribe(Consumer<Condition> listener) {
    listeners.add(listener);
  }

  /** The storage state a failure means, or null when it is not the storage's (a bug, a constraint). */
  public static State stateOf(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLiteException sqlite) {
        SQLiteErrorCode code = sqlite.getResultCode();
        // extended codes (SQLITE_IOERR_WRITE, ...) keep the primary code in their low byte
        int primary = code.code & 0xff;
        if (primary == SQLiteErrorCode.SQLITE_FULL.code) {
          return State.FULL;
        }
        if (primary == SQLiteErrorCode.SQLITE_IOERR.code || primary == SQLiteErrorCode.SQLITE_CANTOPEN.code) {
          return State.IO_ERROR;
        }
        if (primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
          return State.DAMAGED;
        }
      } else if (cause instanceof SQLException server && server.getSQLState() != null) {
        return serverState(server.getSQLState());
      }
    }
    return null;
  }

  /**
   * PostgreSQL's SQLSTATE codes for the same conditions: 53100 disk_full; class 08, the connection lost or refused,
   * and 57P01-57P03, the server shutting down or starting, which a node waits out like an I/O error.
   */
  private static State serverState(String sqlState) {
    if (sqlState.equals("53100")) {
      return State.FULL;
    }
    if (sqlState.startsWith("08") || sqlState.matches("57P0[123]")) {
      return State.IO_ERROR;
    }
    return null;
  }

  public static boolean isStorageFailure(Throwable failure) {
    return stateOf(failure) != null;
  }

  /** The database's own words for a failure: its message without the Java wrapping. */
  public static String describe(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException database) {
        return database.getMessage();
      }
    }
    return failure.getMessage() == null ? failure.toString() : failure.getMessage();
  }

  /** A write failed; a storage failure pauses history until room is measured again. */
  void failed(String file, Throwable failure) {
    State state = stateOf(failure);
    if (state == null) {
      return;
    }
    Condition now = condition;
    if (now.state() == State.DAMAGED || now.state() == state && now.problem().startsWith(file + ": ")) {
      return;
    }
    enter(new Condition(state, file + ": " + describe(failure), now.freeBytes(), now.minFreeBytes(), Instant.now(),
        now.checkedAt()));
  }

  /**
   * What a periodic measurement found: the least room left on the filesystems of the data directory (TDLib's
   * files too) and inside the archive's own limit. Enough room clears a full disk, an I/O error (tried again) or
   * low space; too little pauses history before the disk is full.
   */
  void measured(long freeBytes, long minFreeBytes, String where) {
    Condition now = condition;
    Instant at = Instant.now();
    boolean enough = freeBytes >= minFreeBytes;
    if (now.state() == State.OK && !enough) {
      enter(new Condition(State.LOW_SPACE, "only " + bytes(freeBytes) + " free on " + where + " (tg.storage"
          + ".min-free-space is " + bytes(minFreeBytes) + ")", freeBytes, minFreeBytes, at, at));
    } else if (now.paused() && now.state() != State.DAMAGED && enough) {
      Condition resumed = new Condition(State.OK, null, freeBytes, minFreeBytes, at, at);
      condition = resumed;
      log.info("storage has room again ({} free): history resumes after [{}]", bytes(freeBytes), now.problem());
      tell(resumed);
    } else {
      Condition updated = new Condition(now.state(), now.problem(), freeBytes, minFreeBytes, now.since(), at);
      condition = updated;
      tell(updated);
    }
  }

  private void enter(Condition next) {
    condition = next;
    String free = next.state() == State.LOW_SPACE ? ""
        : next.freeBytes() < 0 ? " (free space not measured yet)" : " (" + bytes(next.freeBytes()) + " free)";
    repeated.error("storage " + next.state().label() + ": " + next.problem() + free + "; history is "
        + "paused until " + (next.state() == State.DAMAGED
            ? "the node is restarted on a repaired archive (tg check --repair, or a backup)"
            : "there is room again; live messages that cannot be stored are fetched again then"), null);
    tell(next);
  }

  private void tell(Condition next) {
    listeners.forEach(listener -> listener.accept(next));
  }

  /** "812 KB", "312 MB", "12.3 GB". */
  public static String bytes(long bytes) {
    if (bytes < 1024 * 1024) {
      return bytes / 1024 + " KB";
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.0f MB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.1f GB", bytes / (1024.0 * 1024 * 1024));
  }
}
