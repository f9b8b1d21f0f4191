package dev.tg.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.config.DatabaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(DatabaseSettings.Kind.class)
class ArchiveTest {
  // long enough for any write here; only a write that never ends waits this long
  private static final Duration HANG = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameter DatabaseSettings.Kind kind;
  @TempDir Path dir;
  private final ExecutorService writer = Executors.newSingleThreadExecutor();
  private ArchiveLocation location;

  @BeforeEach
  void create() {
    location = TestArchives.fresh(kind, dir);
  }

  @AfterEach
  void stop() {
    writer.shutdownNow();
  }

  /** Keeps the archive's writer thread busy until the latch is counted down, so that writes queue meanwhile. */
  private CountDownLatch occupyWriter() {
    CountDownLatch busy = new CountDownLatch(1);
    writer.execute(() -> {
      try {
        busy.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return busy;
  }

  /** Finding 6c of issue 10: an Error (not an exception) in a write must not leave the writer stuck. */
  @Test
  void aWriteThatThrowsAnErrorFailsAloneAndLaterWritesGoOn() {
    try (Archive archive = new Archive(ArchiveStore.open(location), writer)) {
      var failing = archive.write(store -> {
        throw new AssertionError("a bug in a write");
      }).toCompletableFuture();
      var later = archive.write(store -> "written").toCompletableFuture();

      assertThat(failing).failsWithin(HANG);
      assertThat(later).succeedsWithin(HANG).isEqualTo("written");
    }
  }

  /**
   * A read-model write (nobody waits for it) goes with the next group, not behind every history batch queued before
   * it: on PostgreSQL each group is a commit the server syncs to disk, and the ingest bench paid one for each.
   */
  @Test
  void aReadModelWriteJoinsTheNextGroupInsteadOfWaitingBehindEveryHistoryBatch() {
    CountDownLatch writerBusy = occupyWriter();
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    try (Archive archive = new Archive(ArchiveStore.open(location), writer)) {
      archive.write(store -> order.add("history 1"));
      var last = archive.write(store -> order.add("history 2")).toCompletableFuture();
      archive.run(store -> order.add("read model"));
      writerBusy.countDown();
      assertThat(last).succeedsWithin(HANG);
      assertThat(order).containsExactly("history 1", "read model", "history 2");
    }
  }

  /** Writes the actors queued before a clean stop are written when the archive closes, not dropped. */
  @Test
  void closingWritesWhatWasQueuedBeforeIt() throws Exception {
    CountDownLatch writerBusy = occupyWriter();
    Archive archive = new Archive(ArchiveStore.open(location), writer);
    archive.run(store -> store.saveChat("demo", new ChatRecord(7, "private", "Anna", 2, 0)));
    var queued = archive.write(store -> "written").toCompletableFuture();
    archive.close();
    writerBusy.countDown();
    assertThat(queued).succeedsWithin(HANG).isEqualTo("written");
    assertThat(archive.write(store -> "late").toCompletableFuture()).failsWithin(HANG);
    try (ArchiveReader reader = ArchiveReader.open(location)) {
      assertThat(reader.rows("SELECT title FROM chats WHERE chat_id = 7")).hasSize(1);
    }
  }

  /**
   * Crash test seed 847629: an edit heard before its message was archived, applied when the page brought the
   * message with the same edit date, must not become a version because its photo's file was another instance's id
   * or in another download state: TDLib's file id and local state are not the message's content.
   */
  @Test
  void anEditThatDiffersOnlyInItsFilesIdOrLocalStateIsNoVersion() {
    long messageId = 5L << 20;
    try (ArchiveStore store = ArchiveStore.open(location)) {
      store.applyChanges("demo", 7, List.of(new MessageChange.Edited(messageId, 1_700_000_100,
          photo("caption", 12, false, 0).toString(), "caption")));
      ObjectNode message = JSON.createObjectNode().put("@type", "message").put("id", messageId).put("chat_id", 7)
          .put("date", 1_700_000_000).put("edit_date", 1_700_000_100);
      message.set("content", photo("caption", 31, true, 65536));
      store.storeMessages("demo", 7, List.of(MessageRecord.of(message)));
      assertThat(versions(store)).isZero();

      // another caption in the same second is an edit
      store.applyChanges("demo", 7, List.of(new MessageChange.Edited(messageId, 1_700_000_100,
          photo("another caption", 31, false, 65536).toString(), "another caption")));
      assertThat(versions(store)).isEqualTo(1);
    }
  }

  private static int versions(ArchiveStore store) {
    return store.onConnection(connection -> {
      try (var rows = connection.createStatement().executeQuery("SELECT count(*) FROM message_versions")) {
        rows.next();
        return rows.getInt(1);
      }
    });
  }

  private static ObjectNode photo(String caption, int fileId, boolean downloading, int prefix) {
    ObjectNode content = JSON.createObjectNode().put("@type", "messagePhoto");
    content.putObject("caption").put("@type", "formattedText").put("text", caption).putArray("entities");
    ObjectNode file = content.putObject("photo").put("@type", "photo").putArray("sizes").addObject()
        .put("@type", "photoSize").put("type", "x").put("width", 800).put("height", 600)
        .putObject("photo").put("@type", "file").put("id", fileId).put("size", 140_000)
        .put("expected_size", 140_000);
    file.putObject("local").put("@type", "localFile").put("path", "")
        .put("is_downloading_active", downloading).put("downloaded_prefix_size", prefix);
    file.putObject("remote").put("@type", "remoteFile").put("id", "AgACremote").put("unique_id", "AQADunique");
    return content;
  }
}
