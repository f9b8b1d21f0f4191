package dev.tg.cluster;

import dev.tg.config.DatabaseSettings.Postgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL for the whole test JVM (started on first use, stopped at exit), and a fresh database on
 * it for each caller, so that tests share the server's start-up but never each other's tables. As root, zonky runs
 * initdb and postgres under {@code unshare -U}, since PostgreSQL refuses to run as root.
 */
public final class TestPostgres {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  /** A new, empty database. */
  public static Postgres freshDatabase() {
    String name = "tg_test_" + DATABASES.incrementAndGet();
    try (Connection connection = server().getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return new Postgres(server().getJdbcUrl("postgres", name), "postgres", "");
  }

  /** Configuration of a node whose journal and leases are in {@code database}. */
  public static Map<String, Object> settings(Postgres database) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("tg.storage.database", "postgres");
    settings.put("tg.storage.postgres.url", database.url());
    settings.put("tg.storage.postgres.user", database.user());
    settings.put("tg.storage.postgres.password", database.password());
    return settings;
  }

  // zonky stops the server and removes its files in a shutdown hook of its own
  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
      }
    }
    return server;
  }
}
