package dev.tg.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The exclusive right to run an account, one row per account in the shared database: taken only when free or
 * expired, renewed only by its holder, released when the holder stops; the fencing counter grows at every taking.
 * Times come from {@code clock}, so the nodes' clocks must agree to well within the ttl.
 */
public final class AccountLeases {

  /** Who holds {@code account} until {@code expiresAt} (null holder: released); {@code fencing} counts holders. */
  public record Lease(String account, String holder, Instant expiresAt, long fencing) {
    public boolean heldBy(String candidate) {
      return candidate.equals(holder);
    }
  }

  private static final String COLUMNS = "account, holder, expires_at, fencing";

  private final SharedDatabase database;
  private final Clock clock;

  public AccountLeases(SharedDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * Takes the lease for {@code holder} if nobody holds it, its holder let it expire, or it is {@code holder}'s
   * already (then from now on, as a new holding: the caller may have stopped trusting the old one); answers the
   * lease as it stands after the attempt, so {@link Lease#heldBy} tells who won.
   */
  public Lease acquire(String account, String holder, Duration ttl) throws SQLException {
    Instant now = clock.instant();
    // one statement: contenders queue on the row, and the loser sees the winner's unexpired lease
    String sql = "INSERT INTO account_lease (" + COLUMNS + ") VALUES (?, ?, ?, 1) "
        + "ON CONFLICT (account) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at, "
        + "fencing = account_lease.fencing + 1 "
        + "WHERE account_lease.holder IS NULL OR account_lease.expires_at <= ? "
        + "OR account_lease.holder = EXCLUDED.holder RETURNING " + COLUMNS;
    try (Connection connection = database.connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, account);
      statement.setString(2, holder);
      statement.setTimestamp(3, Timestamp.from(now.plus(ttl)));
      statement.setTimestamp(4, Timestamp.from(now));
      Optional<Lease> taken = first(statement);
      return taken.isPresent() ? taken.get() : current(connection, account).orElseThrow();
    }
  }

  /** Extends the holder's lease by {@code ttl} from now; false when another holder took it (or it was released). */
  public boolean renew(Lease lease, Duration ttl) throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement statement = connection.prepareStatement(
            "UPDATE account_lease SET expires_at = ? WHERE account = ? AND holder = ? AND fencing = ?")) {
      statement.setTimestamp(1, Timestamp.from(clock.instant().plus(ttl)));
      statement.setString(2, lease.account());
      statement.setString(3, lease.holder());
      statement.setLong(4, lease.fencing());
      return statement.executeUpdate() == 1;
    }
  }

  /** Frees the lease at once for the next node, if {@code lease} still holds it. */
  public void release(Lease lease) throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement statement = connection.prepareStatement(
            "UPDATE account_lease SET holder = NULL WHERE account = ? AND holder = ? AND fencing = ?")) {
      statement.setString(1, lease.account());
      statement.setString(2, lease.holder());
      statement.setLong(3, lease.fencing());
      statement.executeUpdate();
    }
  }

  /**
   * Whether {@code lease} is still the account's, asked on {@code connection} inside its transaction: the row stays
   * locked (FOR SHARE) until that transaction ends, so a node taking the lease over waits for it to commit.
   */
  public static boolean stillHeld(Connection connection, Lease lease) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT 1 FROM account_lease WHERE account = ? AND holder = ? AND fencing = ? FOR SHARE")) {
      statement.setString(1, lease.account());
      statement.setString(2, lease.holder());
      statement.setLong(3, lease.fencing());
      try (ResultSet row = statement.executeQuery()) {
        return row.next();
      }
    }
  }

  /** The account's lease as stored, if it was ever taken. */
  public Optional<Lease> current(String account) throws SQLException {
    try (Connection connection = database.connect()) {
      return current(connection, account);
    }
  }

  private static Optional<Lease> current(Connection connection, String account) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT " + COLUMNS + " FROM account_lease WHERE account = ?")) {
      statement.setString(1, account);
      return first(statement);
    }
  }

  private static Optional<Lease> first(PreparedStatement statement) throws SQLException {
    try (ResultSet row = statement.executeQuery()) {
      if (!row.next()) {
        return Optional.empty();
      }
      Timestamp expires = row.getTimestamp("expires_at");
      return Optional.of(new Lease(row.getString("account"), row.getString("holder"), expires.toInstant(),
          row.getLong("fencing")));
    }
  }
}
