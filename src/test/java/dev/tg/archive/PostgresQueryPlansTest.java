package dev.tg.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tg.cluster.TestPostgres;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The writer's lookups on PostgreSQL use the message key however much the table grew since they were first run.
 * pgjdbc prepares a statement on the server from its fifth use, and PostgreSQL may then keep one generic plan for
 * it (plancache.c, choose_custom_plan): made while the archive is empty, it read every row of the account for each
 * page once the backfill had filled the table.
 */
class PostgresQueryPlansTest {
  private static final String KEY_INDEX = "messages_account_chat_id_message_id_key";

  @Test
  void aPageLooksUpItsMessagesByTheKeyAfterTheArchiveGrewFromEmpty() {
    try (ArchiveStore store = ArchiveStore.open(new ArchiveLocation.PostgresServer(TestPostgres.freshDatabase()))) {
      for (int page = 1; page <= 10; page++) {
        store.storeMessages("demo", 1, List.of(SampleArchive.message(1, page, 7, page, "page " + page)));
      }
      store.onConnection(connection -> {
        try (Statement bulk = connection.createStatement()) {
          return bulk.executeUpdate("INSERT INTO messages (account, chat_id, message_id, sender_id, date, edit_date, "
              + "is_outgoing, content_type, text, archived_at, raw_json) SELECT 'demo', 2, g, 7, g, 0, 0, "
              + "'messageText', 'filler ' || g, '2026-12-02T00:00:00Z', '{}' FROM generate_series(1, 20000) g");
        }
      });
      store.storeMessages("demo", 1, List.of(SampleArchive.message(1, 11, 7, 11, "after the growth")));

      List<String> plan = store.onConnection(connection -> {
        String lookup;
        try (PreparedStatement select = connection.prepareStatement("SELECT name FROM pg_prepared_statements "
            + "WHERE statement LIKE 'SELECT message_id, edit_date FROM messages%BETWEEN%'");
            ResultSet names = select.executeQuery()) {
          lookup = names.next() ? names.getString(1) : null;
        }
        assertThat(lookup).as("the lookup, prepared on the server").isNotNull();
        List<String> lines = new ArrayList<>();
        try (Statement explain = connection.createStatement();
            ResultSet rows = explain.executeQuery("EXPLAIN EXECUTE \"" + lookup + "\"('demo', 1, 1, 100)")) {
          while (rows.next()) {
            lines.add(rows.getString(1));
          }
        }
        return lines;
      });
      assertThat(String.join("\n", plan)).as("the plan of the writer's lookup of a page's messages")
          .contains(KEY_INDEX).containsPattern("Index Cond: .*chat_id");
    }
  }
}
