package dev.tg.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.tg.cluster.SharedDatabase;
import dev.tg.config.DatabaseSettings.Postgres;
import dev.tg.config.NodeSettings;
import dev.tg.config.OwnerOnlyFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The Pekko JDBC journal and snapshot tables, on SQLite in the data directory or on the shared PostgreSQL; the
 * plugin does not create them.
 */
public final class JournalDatabase {
  private static final String SHARED_DB = "pekko-persistence-jdbc.shared-databases.tg.";

  private JournalDatabase() {}

  private static final List<String> SCHEMA = List.of(
      "PRAGMA journal_mode = WAL",
      // SQLite auto-increments only an INTEGER PRIMARY KEY, so ordering is the key
      """
      CREATE TABLE IF NOT EXISTS event_journal (
        ordering INTEGER PRIMARY KEY AUTOINCREMENT,
        persistence_id TEXT NOT NULL,
        sequence_number INTEGER NOT NULL,
        deleted BOOLEAN NOT NULL DEFAULT 0,
        writer TEXT NOT NULL,
        write_timestamp INTEGER,
        adapter_manifest TEXT,
        event_ser_id INTEGER NOT NULL,
        event_ser_manifest TEXT NOT NULL,
        event_payload BLOB NOT NULL,
        meta_ser_id INTEGER,
        meta_ser_manifest TEXT,
        meta_payload BLOB,
        UNIQUE (persistence_id, sequence_number))""",
      """
      CREATE TABLE IF NOT EXISTS event_tag (
        event_id INTEGER NOT NULL REFERENCES event_journal(ordering) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (event_id, tag))""",
      """
      CREATE TABLE IF NOT EXISTS snapshot (
        persistence_id TEXT NOT NULL,
        sequence_number INTEGER NOT NULL,
        created INTEGER NOT NULL,
        snapshot_ser_id INTEGER NOT NULL,
        snapshot_ser_manifest TEXT NOT NULL,
        snapshot_payload BLOB NOT NULL,
        meta_ser_id INTEGER,
        meta_ser_manifest TEXT,
        meta_payload BLOB,
        PRIMARY KEY (persistence_id, sequence_number))""");

  /**
   * Creates or migrates the tables where {@code tg.storage.database} says, and points the plugin at them: SQLite's
   * profile and pragmas from application.conf, or PostgreSQL's profile and driver.
   */
  public static Config prepare(Config config, NodeSettings settings) {
    if (!settings.database().onPostgres()) {
      prepare(settings.journalFile());
      return config.withValue(SHARED_DB + "db.url", ConfigValueFactory.fromAnyRef(url(settings.journalFile())));
    }
    Postgres postgres = settings.database().postgres();
    new SharedDatabase(postgres).migrate();
    return config.withoutPath(SHARED_DB + "db.properties")
        // as SQLite's journal (WAL, synchronous NORMAL): a commit is not waited on to reach the server's disk. The
        // archive is (synchronous commits), and a cursor event is written only after its messages are durable, so
        // an event lost with the server's last instants costs a page fetched again, never a hole
        .withValue(SHARED_DB + "db.properties.options", ConfigValueFactory.fromAnyRef("-c synchronous_commit=off"))
        .withValue(SHARED_DB + "profile", ConfigValueFactory.fromAnyRef("slick.jdbc.PostgresProfile$"))
        .withValue(SHARED_DB + "db.driver", ConfigValueFactory.fromAnyRef("org.postgresql.Driver"))
        .withValue(SHARED_DB + "db.url", ConfigValueFactory.fromAnyRef(postgres.url()))
        .withValue(SHARED_DB + "db.user", ConfigValueFactory.fromAnyRef(postgres.user()))
        .withValue(SHARED_DB + "db.password", ConfigValueFactory.fromAnyRef(postgres.password()));
  }

  /** Creates the file (owner-only) and its tables before the actor system touches the journal. */
  public static void prepare(Path file) {
    OwnerOnlyFiles.createFile(file);
    try (Connection connection = DriverManager.getConnection(url(file));
        Statement statement = connection.createStatement()) {
      for (String sql : SCHEMA) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot prepare the journal " + file, e);
    }
  }

  public static String url(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }
}
