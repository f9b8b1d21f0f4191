package dev.tg.datadir;

import dev.tg.archive.Integrity;
import dev.tg.config.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rebuilds a damaged SQLite file into a new one from what is still readable: its schema, then the rows of every
 * table but those left out (they are rebuilt afterwards from the others), then its indexes and triggers, made
 * anew. Only for damage that a caller has found to be in indexes or in what can be rebuilt: a table is read whole
 * (never through an index) and must be readable. The damaged file is kept beside the new one.
 */
final class Rebuild {
  private Rebuild() {}

  /** What was done: where the damaged file went. */
  record Rebuilt(Path file, Path damagedCopy) {}

  /**
   * Rebuilds {@code file} without the rows of {@code leftOut}; {@code afterwards} runs on the new file before it
   * replaces the damaged one, which is kept as {@code <file>.damaged-<time>}.
   */
  static Rebuilt rebuild(Path file, Set<String> leftOut, SqlStep afterwards) {
    Path fresh = file.resolveSibling(file.getFileName() + ".rebuilding");
    try {
      Files.deleteIfExists(fresh);
      OwnerOnlyFiles.createFile(fresh);
      try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + fresh)) {
        copy(connection, file, leftOut);
        afterwards.run(connection);
      }
      Integrity.Report check = Integrity.check(fresh);
      if (!check.intact()) {
        throw new IllegalStateException("the rebuilt " + file.getFileName() + " is not sound either: "
            + check.problems().get(0) + "; it is left at " + fresh);
      }
      Path damaged = file.resolveSibling(file.getFileName() + ".damaged-"
          + Instant.now().toString().replace(':', '-'));
      for (String suffix : List.of("", "-wal", "-shm")) {
        Path part = file.resolveSibling(file.getFileName() + suffix);
        if (Files.exists(part)) {
          Files.move(part, damaged.resolveSibling(damaged.getFileName() + suffix));
        }
      }
      Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
      return new Rebuilt(file, damaged);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot rebuild " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rebuild " + file, e);
    }
  }

  /** A step of SQL on the new file. */
  interface SqlStep {
    void run(Connection connection) throws SQLException;
  }

  private record SchemaObject(String type, String name, String sql) {}

  private static void copy(Connection connection, Path damaged, Set<String> leftOut) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      // read-only: the damaged file is kept exactly as it was
      statement.execute("ATTACH DATABASE '" + ("file:" + damaged.toAbsolutePath()).replace("'", "''")
          + "?mode=ro' AS damaged");
      List<SchemaObject> schema = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery(
          "SELECT type, name, sql FROM damaged.sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid")) {
        while (rows.next()) {
          schema.add(new SchemaObject(rows.getString(1), rows.getString(2), rows.getString(3)));
        }
      }
      List<String> virtual = schema.stream().filter(o -> o.sql().startsWith("CREATE VIRTUAL TABLE"))
          .map(SchemaObject::name).toList();
      connection.setAutoCommit(false);
      List<String> copied = new ArrayList<>();
      for (SchemaObject object : schema) {
        boolean shadow = virtual.stream().anyMatch(name -> object.name().startsWith(name + "_"));
        if (object.type().equals("table") && !shadow && !object.name().startsWith("sqlite_")) {
          statement.execute(object.sql());
          if (!virtual.contains(object.name()) && !leftOut.contains(object.name())) {
            copied.add(object.name());
          }
        }
      }
      for (String table : copied) {
        String quoted = "\"" + table.replace("\"", "\"\"") + "\"";
        // the WHERE keeps SQLite from copying the damaged indexes page by page (its transfer optimization)
        statement.execute("INSERT INTO main." + quoted + " SELECT * FROM damaged." + quoted
            + " NOT INDEXED WHERE true");
      }
      if (hasTable(statement, "damaged", "sqlite_sequence") && hasTable(statement, "main", "sqlite_sequence")) {
        statement.execute("INSERT OR REPLACE INTO main.sqlite_sequence SELECT * FROM damaged.sqlite_sequence");
      }
      for (SchemaObject object : schema) {
        if (!object.type().equals("table") && !object.name().startsWith("sqlite_")) {
          statement.execute(object.sql());
        }
      }
      connection.commit();
      connection.setAutoCommit(true);
      statement.execute("DETACH DATABASE damaged");
    }
  }

  private static boolean hasTable(Statement statement, String schema, String table) throws SQLException {
    try (ResultSet rows = statement.executeQuery(
        "SELECT 1 FROM " + schema + ".sqlite_schema WHERE type = 'table' AND name = '" + table + "'")) {
      return rows.next();
    }
  }
}
