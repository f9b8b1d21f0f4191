package dev.tg.archive;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;

/**
 * The archive's tables that can be made again instead of restored from a backup, each with how: the full-text
 * index and the per-chat counts from the messages, {@code chat_sync_state} by the node from the journal when it
 * starts, and {@code sync_jobs}, the record of past jobs, by starting it afresh.
 */
public final class ArchiveDerived {
  /** Each derived table, with what rebuilding it does, in a user's words. */
  public static final Map<String, String> TABLES = Map.of(
      "messages_fts_data", "rebuilds the full-text index from the messages",
      "messages_fts_idx", "rebuilds the full-text index from the messages",
      "messages_fts_docsize", "rebuilds the full-text index from the messages",
      "messages_fts_config", "rebuilds the full-text index from the messages",
      "chat_message_counts", "recounts the archived messages of every chat",
      "chat_sync_state", "empties chat_sync_state, which the node writes again from the journal when it starts",
      "sync_jobs", "empties sync_jobs, the record of past jobs");

  /** Always rebuilt, damaged or not: they follow from the messages. */
  public static final Set<String> FROM_MESSAGES = Set.of("messages_fts_data", "messages_fts_idx",
      "messages_fts_docsize", "messages_fts_config", "chat_message_counts");

  private ArchiveDerived() {}

  /** Fills the full-text index and the counts of a rebuilt archive from its messages. */
  public static void rebuildFromMessages(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')");
      statement.execute("DELETE FROM chat_message_counts");
      statement.execute("INSERT INTO chat_message_counts (account, chat_id, archived) "
          + "SELECT account, chat_id, count(*) FROM messages GROUP BY account, chat_id");
    }
  }
}
