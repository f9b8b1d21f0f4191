package dev.tg.archive;

import dev.tg.cluster.SharedDatabase;
import dev.tg.config.DatabaseSettings;
import dev.tg.config.NodeSettings;
import dev.tg.config.OwnerOnlyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.sqlite.SQLiteConnection;

/**
 * Where the archive is, and the little its two databases do differently: a SQLite file in the data directory
 * (the default), or the PostgreSQL server the nodes of a cluster share. Everything else the archive runs is the
 * same SQL on both: the tables have the same columns ({@code rowid} is SQLite's implicit row number, and an
 * identity column of that name on PostgreSQL), and the upserts name their conflict targets.
 */
public sealed interface ArchiveLocation {

  /** Opens the connection the writer uses, creating or migrating the tables first; not in auto-commit. */
  Connection openForWriting() throws SQLException;

  /** Opens a connection for reads only. */
  Connection openForReading() throws SQLException;

  /** Whether an archive was written here already (the read commands never create one). */
  boolean exists();

  /** The archive's name in messages: its file, or the server without credentials. */
  String describe();

  /**
   * How messages {@code m} whose text contains a text (case-insensitively) are found: what the query joins, the
   * condition, and the value bound to it.
   */
  TextSearch containsText(String text);

  /** A text search: {@code join} (may be empty) after the messages, {@code condition} with one parameter. */
  record TextSearch(String join, String condition, Object value) {}

  /** The room left inside the archive's own limits, in bytes: the disk's free space is measured by the node. */
  long roomLeft(Connection connection) throws SQLException;

  /** The archive's check of itself when a read found nothing, so that damage never reads as "no messages". */
  Integrity.Report check(Connection connection);

  /** The archive of a node with these settings: with the journal on PostgreSQL, or its {@code archive.db}. */
  static ArchiveLocation of(NodeSettings settings) {
    return settings.database().onPostgres() ? new PostgresServer(settings.database().postgres())
        : new SqliteFile(settings.archiveFile());
  }

  /** Whether {@code connection} is SQLite's: the few tables a feature creates itself are created there only. */
  static boolean isSqlite(Connection connection) throws SQLException {
    return connection.isWrapperFor(SQLiteConnection.class);
  }

  /** The archive file, owner-only, in WAL mode with a full sync at every commit. */
  record SqliteFile(Path file) implements ArchiveLocation {
    // trigram FTS matches need a query of at least three characters; shorter ones scan with LIKE
    private static final int TRIGRAM = 3;

    @Override
    public Connection openForWriting() throws SQLException {
      OwnerOnlyFiles.createFile(file);
      Properties pragmas = new Properties();
      pragmas.setProperty("journal_mode", "WAL");
      // FULL: a stored batch survives power loss too, so a cursor event never outlives its messages
      pragmas.setProperty("synchronous", "FULL");
      pragmas.setProperty("busy_timeout", "10000");
      pragmas.setProperty("transaction_mode", "IMMEDIATE");
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file, pragmas);
      applySchema(connection);
      connection.setAutoCommit(false);
      return connection;
    }

    private static void applySchema(Connection connection) throws SQLException {
      try (InputStream in = ArchiveLocation.class.getResourceAsStream("/archive/schema.sql");
          Statement statement = connection.createStatement()) {
        String schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        // executeUpdate runs one statement at a time; split on the blank-line-free statement ends
        for (String sql : SqlScript.statements(schema)) {
          statement.executeUpdate(sql);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Connection openForReading() throws SQLException {
      Properties properties = new Properties();
      properties.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
      properties.setProperty("busy_timeout", "10000");
      return DriverManager.getConnection("jdbc:sqlite:" + file, properties);
    }

    @Override
    public boolean exists() {
      return Files.isRegularFile(file);
    }

    @Override
    public String describe() {
      return file.toString();
    }

    @Override
    public TextSearch containsText(String text) {
      if (text.codePointCount(0, text.length()) >= TRIGRAM) {
        return new TextSearch("JOIN messages_fts f ON f.rowid = m.rowid", "messages_fts MATCH ?",
            "\"" + text.replace("\"", "\"\"") + "\"");
      }
      return new TextSearch("", "m.text LIKE ? ESCAPE '\\'", likePattern(text));
    }

    /** What is left of SQLite's {@code max_page_count}, a limit only tests and drills set. */
    @Override
    public long roomLeft(Connection connection) throws SQLException {
      return (pragma(connection, "max_page_count") - pragma(connection, "page_count")
          + pragma(connection, "freelist_count")) * pragma(connection, "page_size");
    }

    /** Caps the file at {@code maxPages} pages: past it every write fails as on a full disk. */
    void limitPages(Connection connection, long maxPages) throws SQLException {
      pragma(connection, "max_page_count = " + maxPages);
    }

    private static long pragma(Connection connection, String name) throws SQLException {
      try (Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("PRAGMA " + name)) {
        result.next();
        return result.getLong(1);
      }
    }

    @Override
    public Integrity.Report check(Connection connection) {
      return Integrity.check(file, connection);
    }
  }

  /**
   * The archive's tables on the shared PostgreSQL server, created by the node's migrations
   * ({@code db/postgres/V4__archive.sql}). Search is a substring match ({@code ILIKE}) helped by a pg_trgm GIN
   * index, the same meaning as SQLite's trigram index in any script.
   */
  record PostgresServer(DatabaseSettings.Postgres server) implements ArchiveLocation {
    // a history batch of several thousand rows, or a slow disk on the server, may take a while
    private static final Duration WRITE_TIMEOUT = Duration.ofMinutes(2);

    @Override
    public Connection openForWriting() throws SQLException {
      SharedDatabase database = new SharedDatabase(server);
      database.migrate();
      Connection connection = database.connect(WRITE_TIMEOUT);
      connection.setAutoCommit(false);
      return connection;
    }

    @Override
    public Connection openForReading() throws SQLException {
      Connection connection = new SharedDatabase(server).connect(WRITE_TIMEOUT);
      connection.setReadOnly(true);
      return connection;
    }

    @Override
    public boolean exists() {
      try (Connection connection = openForReading();
          ResultSet tables = connection.getMetaData().getTables(null, null, "messages", new String[] {"TABLE"})) {
        return tables.next();
      } catch (SQLException e) {
        throw new ArchiveException("cannot reach the archive on " + describe() + ": " + e.getMessage(), e);
      }
    }

    @Override
    public String describe() {
      int parameters = server.url().indexOf('?');
      return "PostgreSQL " + (parameters < 0 ? server.url() : server.url().substring(0, parameters));
    }

    @Override
    public TextSearch containsText(String text) {
      return new TextSearch("", "m.text ILIKE ? ESCAPE '\\'", likePattern(text));
    }

    /** The server's disk is its administrator's to watch: the archive sets no limit of its own there. */
    @Override
    public long roomLeft(Connection connection) {
      return Long.MAX_VALUE;
    }

    /** The server checks its pages itself (and reports damage as an error): an empty answer is just empty. */
    @Override
    public Integrity.Report check(Connection connection) {
      return new Integrity.Report(null, List.of(), Set.of(), Set.of(), false);
    }
  }

  private static String likePattern(String text) {
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }
}
