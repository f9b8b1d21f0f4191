package dev.tg.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQLite's own check of a database file ({@code PRAGMA quick_check}: every table's and index's structure), with
 * each problem put down to the table or index it is in, so that a caller can tell what a repair would lose.
 */
public final class Integrity {
  private static final Pattern TREE = Pattern.compile("^Tree (\\d+) page");
  private static final Pattern INDEX = Pattern.compile("\\bindex (\\S+)$");
  private static final Pattern UNUSED_PAGE = Pattern.compile("^Page \\d+: never used$");
  // quick_check's output, however damaged the file, stays readable
  private static final int MAX_PROBLEMS = 100;

  /**
   * What the check found: {@code problems} in SQLite's words (empty: intact); the tables and indexes they are in;
   * {@code unplaced} when some problem is in no known table (the file's header, its schema, its free pages).
   * Pages that no table uses any more are left out of both: they follow from the damage of a table, and a
   * rebuild drops them.
   */
  public record Report(Path file, List<String> problems, Set<String> damagedTables, Set<String> damagedIndexes,
      boolean unplaced) {
    public boolean intact() {
      return problems.isEmpty();
    }
  }

  private Integrity() {}

  /** Checks a database file without writing to it. */
  public static Report check(Path file) {
    if (!Files.isRegularFile(file)) {
      return new Report(file, List.of("no such file"), Set.of(), Set.of(), true);
    }
    Properties readOnly = new Properties();
    readOnly.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    readOnly.setProperty("busy_timeout", "10000");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file, readOnly)) {
      return check(file, connection);
    } catch (SQLException e) {
      return new Report(file, List.of(Storage.describe(e)), Set.of(), Set.of(), true);
    }
  }

  /** Checks the database of an open connection. */
  static Report check(Path file, Connection connection) {
    List<String> problems = quickCheck(connection);
    if (problems.isEmpty()) {
      return new Report(file, problems, Set.of(), Set.of(), false);
    }
    Map<Integer, String[]> trees = new HashMap<>();
    boolean schemaReadable = true;
    try (Statement statement = connection.createStatement();
        ResultSet schema = statement.executeQuery(
            "SELECT rootpage, type, name FROM sqlite_schema WHERE rootpage > 0")) {
      while (schema.next()) {
        trees.put(schema.getInt(1), new String[] {schema.getString(2), schema.getString(3)});
      }
    } catch (SQLException e) {
      schemaReadable = false;
    }
    trees.put(1, new String[] {"table", "sqlite_schema"});
    Set<String> tables = new TreeSet<>();
    Set<String> indexes = new TreeSet<>();
    boolean unplaced = !schemaReadable;
    boolean malformed = false;
    for (String problem : problems) {
      Matcher tree = TREE.matcher(problem);
      Matcher index = INDEX.matcher(problem);
      String[] object = tree.find() ? trees.get(Integer.parseInt(tree.group(1))) : null;
      if (object != null) {
        (object[0].equals("index") ? indexes : tables).add(object[1]);
      } else if (index.find()) {
        indexes.add(index.group(1));
      } else if (problem.contains("database disk image is malformed")) {
        malformed = true;
      } else if (!UNUSED_PAGE.matcher(problem).matches()) {
        unplaced = true;
      }
    }
    // a malformed image that ends the check follows from the damage it named already
    boolean named = !tables.isEmpty() || !indexes.isEmpty();
    return new Report(file, problems, tables, indexes, unplaced || malformed && !named);
  }

  /** quick_check's findings, one per line; an error that stops it is the last finding. */
  private static List<String> quickCheck(Connection connection) {
    List<String> problems = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA quick_check(" + MAX_PROBLEMS + ")")) {
      while (rows.next()) {
        for (String line : rows.getString(1).split("\n")) {
          String problem = line.strip();
          if (!problem.equals("ok") && !problem.isEmpty() && !problem.startsWith("*** in database")) {
            problems.add(problem);
          }
        }
      }
    } catch (SQLException e) {
      problems.add(Storage.describe(e));
    }
    return problems;
  }
}
