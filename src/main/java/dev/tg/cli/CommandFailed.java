package dev.tg.cli;

import dev.tg.config.NodeSettings;

/** A command cannot do what was asked; {@link Main} prints the message and exits with the code. */
final class CommandFailed extends RuntimeException {
  final int exitCode;

  CommandFailed(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  static CommandFailed failure(String message) {
    return new CommandFailed(Main.FAILURE, message);
  }

  /**
   * The data-directory commands (backup, restore, check) work on the SQLite files of one node: with the journal and
   * archive on PostgreSQL they would copy or check nothing, so they say where to turn instead.
   */
  static void requireSqlite(NodeSettings settings, String command) {
    if (settings.database().onPostgres()) {
      throw failure("tg " + command + " works on the SQLite files of a data directory, and this node keeps its "
          + "journal and archive on PostgreSQL (tg.storage.database = postgres): use the server's own tools "
          + "(pg_dump, pg_restore, amcheck), see docs/cluster.md");
    }
  }

  static CommandFailed usage(String message) {
    return new CommandFailed(Main.USAGE, message);
  }
}
