package dev.tg.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.archive.ArchiveStore;
import dev.tg.archive.MessageChange;
import dev.tg.archive.MessageRecord;
import dev.tg.archive.TestArchives;
import dev.tg.config.DatabaseSettings;
import dev.tg.config.MediaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The media table follows what the archive holds: a file per message and per file it ever held. */
class MediaTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "demo";
  private static final long CHAT = 7;
  private static final MediaPolicy POLICY = new MediaPolicy(new MediaSettings(true, 1, 1 << 20, 3,
      Duration.ofSeconds(1), Map.of("P4", Map.of("document", 1L << 20))));

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(DatabaseSettings.Kind.class)
  void anEditThatReplacesTheFileAddsARowAndKeepsTheFirst(DatabaseSettings.Kind store) {
    try (ArchiveStore archive = ArchiveStore.open(TestArchives.fresh(store, dir))) {
      archive.onConnection(MediaTable::ensure);
      archive.storeMessages(ACCOUNT, CHAT, List.of(MessageRecord.of(document(1, "AgADfirst", 1_000))));
      scan(archive);
      assertThat(rows(archive)).containsExactly("1 AgADfirst pending");

      archive.applyChanges(ACCOUNT, CHAT, List.of(new MessageChange.Edited(1, 1_700_000_100,
          document(1, "AgADsecond", 2_000).path("content").toString(), "")));
      scan(archive);
      assertThat(rows(archive)).containsExactly("1 AgADfirst pending", "1 AgADsecond pending");

      // a content update without an edit (TDLib's updateMessageContent alone) that brings another file, too
      archive.applyChanges(ACCOUNT, CHAT, List.of(new MessageChange.ContentUpdated(1,
          document(1, "AgADthird", 3_000).path("content").toString(), "")));
      // and one that keeps the file changes nothing
      archive.applyChanges(ACCOUNT, CHAT, List.of(new MessageChange.ContentUpdated(1,
          document(1, "AgADthird", 3_000).path("content").toString(), "caption")));
      scan(archive);
      assertThat(rows(archive)).containsExactly("1 AgADfirst pending", "1 AgADsecond pending",
          "1 AgADthird pending");
    }
  }

  /** SQLite only: on PostgreSQL the tables came with the current layout. */
  @Test
  void aTableOfTheFirstLayoutKeepsItsRowsWhenTheKeyGrows() {
    try (ArchiveStore archive = ArchiveStore.open(dir.resolve("archive.db"))) {
      // the layout of the first release: one row per message
      archive.onConnection(connection -> connection.createStatement().executeUpdate("""
          CREATE TABLE media (account TEXT NOT NULL, chat_id INTEGER NOT NULL, message_id INTEGER NOT NULL,
            kind TEXT NOT NULL, tier INTEGER NOT NULL, unique_id TEXT NOT NULL, file_id INTEGER NOT NULL,
            message_row INTEGER NOT NULL, size INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT,
            attempts INTEGER NOT NULL DEFAULT 0, sha256 TEXT, path TEXT, updated_at TEXT NOT NULL,
            PRIMARY KEY (account, chat_id, message_id))"""));
      archive.onConnection(connection -> connection.createStatement().executeUpdate("INSERT INTO media VALUES "
          + "('demo', 7, 1, 'document', 4, 'AgADold', 3, 1, 10, 'done', NULL, 1, 'ab', 'ab/ab', 'then')"));
      archive.onConnection(MediaTable::ensure);
      assertThat(rows(archive)).containsExactly("1 AgADold done");
      archive.storeMessages(ACCOUNT, CHAT, List.of(MessageRecord.of(document(2, "AgADnew", 1_000))));
      scan(archive);
      assertThat(rows(archive)).containsExactly("1 AgADold done", "2 AgADnew pending");
    }
  }

  /** The trigger that queues a changed message for the scan knows every content type that can hold a file. */
  @ParameterizedTest
  @EnumSource(DatabaseSettings.Kind.class)
  void aChangedMessageOfEveryContentTypeWithAFileIsLookedAtAgain(DatabaseSettings.Kind store) {
    try (ArchiveStore archive = ArchiveStore.open(TestArchives.fresh(store, dir))) {
      archive.onConnection(MediaTable::ensure);
      List<Long> ids = new ArrayList<>();
      for (String type : MediaContent.CONTENT_TYPES) {
        long id = ids.size() + 1;
        ids.add(id);
        ObjectNode message = document(id, "AgAD" + id, 1_000);
        ((ObjectNode) message.path("content")).put("@type", type);
        archive.storeMessages(ACCOUNT, CHAT, List.of(MessageRecord.of(message)));
        archive.applyChanges(ACCOUNT, CHAT, List.of(new MessageChange.ContentUpdated(id,
            message.path("content").toString(), "caption " + id)));
      }
      List<Long> changed = archive.onConnection(connection -> {
        List<Long> messages = new ArrayList<>();
        try (var select = connection.prepareStatement("SELECT message_id FROM media_changes ORDER BY message_id");
            var result = select.executeQuery()) {
          while (result.next()) {
            messages.add(result.getLong(1));
          }
        }
        return messages;
      });
      assertThat(changed).isEqualTo(ids);
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseSettings.Kind.class)
  void aChatAskedForHasEveryFileFetchedThoseArchivedLaterToo(DatabaseSettings.Kind store) {
    try (ArchiveStore archive = ArchiveStore.open(TestArchives.fresh(store, dir))) {
      archive.onConnection(MediaTable::ensure);
      ObjectNode large = document(1, "AgADlarge", 5 << 20);
      archive.storeMessages(ACCOUNT, CHAT, List.of(MessageRecord.of(large),
          MessageRecord.of(document(2, "AgADsmall", 1_000))));
      scan(archive);
      assertThat(rows(archive)).containsExactly("1 AgADlarge skipped", "2 AgADsmall pending");

      archive.onConnection(connection -> MediaTable.requestChat(connection, ACCOUNT, CHAT));
      scan(archive);
      assertThat(rows(archive)).containsExactly("2 AgADsmall pending", "1 AgADlarge pending");
      archive.storeMessages(ACCOUNT, CHAT, List.of(MessageRecord.of(document(3, "AgADlater", 9 << 20))));
      scan(archive);
      assertThat(rows(archive)).contains("3 AgADlater pending");
    }
  }

  private static void scan(ArchiveStore archive) {
    archive.onConnection(connection -> MediaTable.scan(connection, ACCOUNT, POLICY, 100));
  }

  private static List<String> rows(ArchiveStore archive) {
    return archive.onConnection(connection -> {
      List<String> rows = new ArrayList<>();
      try (var select = connection.prepareStatement("SELECT message_id, unique_id, state FROM media "
          + "WHERE account = ? ORDER BY rowid")) {
        select.setString(1, ACCOUNT);
        try (var result = select.executeQuery()) {
          while (result.next()) {
            rows.add(result.getLong(1) + " " + result.getString(2) + " " + result.getString(3));
          }
        }
      }
      return rows;
    });
  }

  private static ObjectNode document(long messageId, String uniqueId, int size) {
    ObjectNode message = JSON.createObjectNode().put("@type", "message").put("id", messageId).put("chat_id", CHAT)
        .put("date", 1_700_000_000);
    message.putObject("sender_id").put("@type", "messageSenderUser").put("user_id", 5);
    ObjectNode content = message.putObject("content").put("@type", "messageDocument");
    content.putObject("caption").put("@type", "formattedText").put("text", "").putArray("entities");
    ObjectNode file = content.putObject("document").put("@type", "document").putObject("document")
        .put("@type", "file").put("id", 12).put("size", size);
    file.putObject("remote").put("@type", "remoteFile").put("unique_id", uniqueId);
    return message;
  }
}
