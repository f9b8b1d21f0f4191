package dev.tg.node;

import dev.tg.config.OwnerOnlyFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The Pekko JDBC journal and snapshot tables on SQLite; the plugin does not create them. */
public final class JournalDatabase {
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
