package dev.tg.cluster;

import dev.tg.config.DatabaseSettings.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/** The PostgreSQL server nodes share: its schema (journal, snapshots, leases) migrated by Flyway at node start. */
public final class SharedDatabase {
  // a server that stops answering must fail a lease renewal well before the lease runs out
  private static final String TIMEOUT_SECONDS = "5";

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

  public Connection connect() throws SQLException {
    Properties properties = new Properties();
    if (!postgres.user().isBlank()) {
      properties.setProperty("user", postgres.user());
    }
    if (!postgres.password().isEmpty()) {
      properties.setProperty("password", postgres.password());
    }
    properties.setProperty("connectTimeout", TIMEOUT_SECONDS);
    properties.setProperty("socketTimeout", TIMEOUT_SECONDS);
    return DriverManager.getConnection(postgres.url(), properties);
  }
}
