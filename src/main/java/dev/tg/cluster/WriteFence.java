package dev.tg.cluster;

import java.sql.Connection;
import java.sql.SQLException;

/** Whether this node may write an account's rows now; asked inside the write's own transaction. */
public interface WriteFence {
  /** One node owns the archive (SQLite, or PostgreSQL without leases): every write is admitted. */
  WriteFence NONE = (connection, account) -> true;

  boolean admits(Connection connection, String account) throws SQLException;
}
