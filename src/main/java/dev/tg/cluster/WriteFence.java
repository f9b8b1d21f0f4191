package dev.tg.cluster;

import java.sql.Connection;
import java.sql.SQLException;

/** Whether this node may write an account's rows now; asked inside the write's own transaction. */
public interface WriteFence {
  /**
   * Every write admitted: on SQLite the data directory's lock makes one process the writer, and a command-line
   * tool's writes ({@code tg import}) follow no account's lease.
   */
  WriteFence NONE = (connection, account) -> true;

  boolean admits(Connection connection, String account) throws SQLException;
}
