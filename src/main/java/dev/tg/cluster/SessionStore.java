package dev.tg.cluster;

import dev.tg.cluster.AccountLeases.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The latest copy of each account's TDLib session in the shared database, one row per account. A copy is taken only
 * from the lease's current holder with the current fencing value, so a node that lost the account cannot overwrite
 * the copy of the node that runs it now.
 */
public final class SessionStore {

  /** A copy of the session files, saved at {@code savedAt} by {@code holder} while it held lease {@code fencing}. */
  public record SavedSession(byte[] files, Instant savedAt, String holder, long fencing) {
    @Override
    public String toString() {
      // the files hold the account's authorization: never in a log
      return "SavedSession[" + files.length + " bytes, savedAt=" + savedAt + ", holder=" + holder + ", fencing="
          + fencing + "]";
    }
  }

  private final SharedDatabase database;
  private final Clock clock;

  public SessionStore(SharedDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * Keeps {@code files} as the account's session if {@code lease} is still the account's lease (same holder, same
   * fencing); false otherwise, and nothing is written.
   */
  public boolean save(Lease lease, byte[] files) throws SQLException {
    // FOR SHARE: a node taking the lease meanwhile waits for this copy, so it restores this copy or a later one
    String sql = "INSERT INTO account_session (account, files, saved_at, holder, fencing) "
        + "SELECT account, ?, ?, holder, fencing FROM account_lease "
        + "WHERE account = ? AND holder = ? AND fencing = ? FOR SHARE "
        + "ON CONFLICT (account) DO UPDATE SET files = EXCLUDED.files, saved_at = EXCLUDED.saved_at, "
        + "holder = EXCLUDED.holder, fencing = EXCLUDED.fencing";
    try (Connection connection = database.connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setBytes(1, files);
      statement.setTimestamp(2, Timestamp.from(clock.instant()));
      statement.setString(3, lease.account());
      statement.setString(4, lease.holder());
      statement.setLong(5, lease.fencing());
      return statement.executeUpdate() == 1;
    }
  }

  /** The account's latest copy, if one was ever saved. */
  public Optional<SavedSession> load(String account) throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement statement = connection.prepareStatement(
            "SELECT files, saved_at, holder, fencing FROM account_session WHERE account = ?")) {
      statement.setString(1, account);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(new SavedSession(row.getBytes("files"), row.getTimestamp("saved_at").toInstant(),
            row.getString("holder"), row.getLong("fencing")));
      }
    }
  }
}
