package dev.tg.archive;

import dev.tg.cluster.WriteFence;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * The writer's fence and the accounts it admitted in the transaction open now. The fence's lock on an account's
 * lease row, once taken, lasts until the transaction ends, so the fence is asked once per account and transaction;
 * a write of a group rolled back to its savepoint gives back the locks it took.
 */
final class FenceAdmissions {
  private WriteFence fence = WriteFence.NONE;
  private final Set<String> inTransaction = new HashSet<>();
  private final Set<String> inWrite = new HashSet<>();

  void fenceWith(WriteFence fence) {
    this.fence = fence;
  }

  boolean admits(Connection connection, String account) throws SQLException {
    if (inTransaction.contains(account)) {
      return true;
    }
    boolean admitted = fence.admits(connection, account);
    if (admitted) {
      inTransaction.add(account);
      inWrite.add(account);
    }
    return admitted;
  }

  /** A write of a group starts at its savepoint. */
  void writeStarted() {
    inWrite.clear();
  }

  /** The write was rolled back to its savepoint, and the locks it took with it. */
  void writeRolledBack() {
    inTransaction.removeAll(inWrite);
  }

  /** Committed or rolled back: every lock is gone. */
  void transactionEnded() {
    inTransaction.clear();
  }
}
