package dev.tg.cluster;

import dev.tg.config.DatabaseSettings.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL server nodes share: its schema (journal, snapshots, leases, archive) migrated by Flyway at node
 * start.
 */
public final class SharedDatabase {
  // a server that stops answering must fail a lease renewal well before the lease runs out
  private static final Duration LEASE_TIMEOUT = Duration.ofSeconds(5);

  private final Postgres postgres;

  public SharedDatabase(Postgres postgres) {
    this.postgres = postgres;
  }

  /** Creates or upgrades the tables; several nodes starting at once take turns (Flyway locks the schema). */
  public void migrate() {
    Flyway.configure()
        .dataSource(postgres.url(), postgres.user(), postgres.password())
        .locations("classpath:db/postgres")
        .load()
        .migrate();
  }

  /** A connection for the leases: it gives up on a server that does not answer within seconds. */
  public Connection connect() throws SQLException {
    return connect(LEASE_TIMEOUT);
  }

  /** A connection whose every request fails once the server has not answered for {@code timeout}. */
  public Connection connect(Duration timeout) throws SQLException {
    Properties properties = new Properties();
    if (!postgres.user().isBlank()) {
      properties.setProperty("user", postgres.user());
    }
    if (!postgres.password().isEmpty()) {
      properties.setProperty("password", postgres.password());
    }
    String seconds = String.valueOf(timeout.toSeconds());
    properties.setProperty("connectTimeout", seconds);
    properties.setProperty("socketTimeout", seconds);
    // a batch of inserts goes as multi-row statements: one round trip per batch, not per row
    properties.setProperty("reWriteBatchedInserts", "true");
    // each statement planned for its own values on today's statistics: a generic plan kept since the archive was
    // empty (plancache.c) scanned a whole account for every page until autovacuum analyzed the table
    properties.setProperty("options", "-c plan_cache_mode=force_custom_plan");
    return DriverManager.getConnection(postgres.url(), properties);
  }
}
