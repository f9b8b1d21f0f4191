package dev.tg.archive;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Read-only queries on the archive, on their own connection so that readers never wait for the writer. */
public final class ArchiveReader implements AutoCloseable {
  private final Connection connection;

  private ArchiveReader(Connection connection) {
    this.connection = connection;
  }

  public static ArchiveReader open(Path file) {
    try {
      Properties properties = new Properties();
      properties.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
      properties.setProperty("busy_timeout", "10000");
      return new ArchiveReader(DriverManager.getConnection("jdbc:sqlite:" + file, properties));
    } catch (SQLException e) {
      throw new ArchiveException("cannot open the archive " + file, e);
    }
  }

  /** The account's contacts, by name. */
  public synchronized List<Map<String, Object>> contacts(String account) {
    return rows("SELECT account, user_id, username, first_name, last_name, is_mutual, last_seen, updated_at "
        + "FROM contacts WHERE account = ? ORDER BY first_name, last_name, user_id", account);
  }

  /** Rows as column-name maps, for JSON and tables alike. */
  synchronized List<Map<String, Object>> rows(String sql, Object... values) {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 1, values[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        ResultSetMetaData columns = result.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int c = 1; c <= columns.getColumnCount(); c++) {
            row.put(columns.getColumnLabel(c), result.getObject(c));
          }
          rows.add(row);
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new ArchiveException("archive query failed", e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new ArchiveException("cannot close the archive", e);
    }
  }
}
