package dev.tg.archive;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tg.cluster.SharedDatabase;
import dev.tg.cluster.TestPostgres;
import dev.tg.config.DatabaseSettings.Postgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A full disk as SQLite sees it (its {@code max_page_count} reached on the archive's own connection): every write
 * of the group fails with SQLite's own words, nothing of the group is kept, the storage pauses, and once there is
 * room again writes are whole transactions again; on PostgreSQL, a lost connection pauses it the same way.
 */
class StorageTest {
  private static final Duration HANG = Duration.ofSeconds(10);
  private static final long CHAT = 42;

  @TempDir Path dir;
  private final ExecutorService writer = Executors.newSingleThreadExecutor();
  private final List<Runnable> detach = new ArrayList<>();

  @AfterEach
  void stop() {
    writer.shutdownNow();
    detach.forEach(Runnable::run);
  }

  @Test
  void aFullArchiveFailsTheWholeGroupWithSqlitesWordsPausesAndTakesWholeWritesOnceThereIsRoom() throws Exception {
    ListAppender<ILoggingEvent> storageLog = capture(Storage.class);
    try (Archive archive = new Archive(ArchiveStore.open(dir.resolve("archive.db")), writer)) {
      List<Storage.Condition> heard = new ArrayList<>();
      archive.storage().subscribe(heard::add);
      assertThat(archive.write(store -> store.storeMessages("demo", CHAT, messages(1, 50)))).succeedsWithin(HANG);
      // no room beyond the pages the file has now
      assertThat(archive.write(store -> {
        store.limitPages(1);
        return null;
      })).succeedsWithin(HANG);

      // one group (real-time writes queued meanwhile go together): a small write that fits and a large one
      CountDownLatch hold = new CountDownLatch(1);
      writer.execute(() -> await(hold));
      CompletableFuture<?> small = archive.writeNow(store -> store.storeMessages("demo", CHAT, messages(51, 1)))
          .toCompletableFuture();
      CompletableFuture<?> large = archive.writeNow(store -> store.storeMessages("demo", CHAT, messages(52, 400)))
          .toCompletableFuture();
      hold.countDown();

      assertThat(large).failsWithin(HANG).withThrowableThat().havingRootCause()
          .withMessageContaining("database or disk is full");
      assertThat(small).as("a write of the failed group is not kept").failsWithin(HANG).withThrowableThat()
          .withMessageContaining("database or disk is full").withMessageNotContaining("no transaction is active");
      assertThat(archive.storage().condition().state()).isEqualTo(Storage.State.FULL);
      assertThat(archive.storage().condition().problem()).endsWith(
          "archive.db: [SQLITE_FULL] Insertion failed because database is full (database or disk is full)");
      for (int i = 0; i < 3; i++) {
        assertThat(archive.write(store -> store.storeMessages("demo", CHAT, messages(52, 400)))).failsWithin(HANG);
      }
      assertThat(storageLog.list).as("a full disk is logged once").hasSize(1);
      assertThat(storageLog.list.get(0).getFormattedMessage()).contains("storage full", "database or disk is full");
      assertThat(count("SELECT count(*) FROM messages")).isEqualTo(50);

      // the disk still has no room: the storage stays paused
      assertThat(archive.measureRoom(List.of(dir), 1024 * 1024)).succeedsWithin(HANG)
          .extracting(Storage.Condition::state).isEqualTo(Storage.State.FULL);
      assertThat(archive.write(store -> {
        store.limitPages(1_000_000);
        return null;
      })).succeedsWithin(HANG);
      assertThat(archive.measureRoom(List.of(dir), 1024 * 1024)).succeedsWithin(HANG)
          .extracting(Storage.Condition::paused).isEqualTo(false);
      assertThat(heard).extracting(Storage.Condition::state)
          .containsSubsequence(Storage.State.FULL, Storage.State.OK);

      assertThat(archive.write(store -> store.storeMessages("demo", CHAT, messages(52, 400)))).succeedsWithin(HANG);
      assertThat(count("SELECT count(*) FROM messages")).isEqualTo(450);
      assertThat(count("SELECT archived FROM chat_message_counts WHERE chat_id = " + CHAT))
          .as("the count moved in the same transaction as the rows, not by itself").isEqualTo(450);
    }
  }

  @Test
  void lessRoomThanTheMinimumPausesBeforeAnythingFailsAndEnoughRoomResumes() {
    try (Archive archive = new Archive(ArchiveStore.open(dir.resolve("archive.db")), writer)) {
      assertThat(archive.measureRoom(List.of(dir), Long.MAX_VALUE)).succeedsWithin(HANG)
          .satisfies(condition -> {
            assertThat(condition.state()).isEqualTo(Storage.State.LOW_SPACE);
            assertThat(condition.problem()).contains("free on", "tg.storage.min-free-space");
            assertThat(condition.freeBytes()).isPositive();
          });
      assertThat(archive.storage().paused()).isTrue();
      assertThat(archive.measureRoom(List.of(dir), 0)).succeedsWithin(HANG)
          .extracting(Storage.Condition::state).isEqualTo(Storage.State.OK);
    }
  }

  /**
   * On PostgreSQL a lost connection (here the server ends the writer's session, as a restart of it would) pauses
   * history like an I/O error; the writer connects again, and the next measurement resumes it with nothing lost.
   */
  @Test
  void aLostConnectionToPostgresPausesTheArchiveUntilTheNextMeasurementFindsItBack() throws Exception {
    Postgres server = TestPostgres.freshDatabase();
    try (Archive archive = new Archive(ArchiveStore.open(new ArchiveLocation.PostgresServer(server)), writer)) {
      assertThat(archive.write(store -> store.storeMessages("demo", CHAT, messages(1, 50)))).succeedsWithin(HANG);
      try (Connection admin = new SharedDatabase(server).connect();
          ResultSet ended = admin.createStatement().executeQuery("SELECT pg_terminate_backend(pid) FROM "
              + "pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
        assertThat(ended.next()).as("the writer's session was ended").isTrue();
      }

      assertThat(archive.write(store -> store.storeMessages("demo", CHAT, messages(51, 50)))).failsWithin(HANG);
      assertThat(archive.storage().condition().state()).isEqualTo(Storage.State.IO_ERROR);
      assertThat(archive.measureRoom(List.of(dir), 0)).succeedsWithin(HANG)
          .extracting(Storage.Condition::state).isEqualTo(Storage.State.OK);
      assertThat(archive.write(store -> store.storeMessages("demo", CHAT, messages(51, 50)))).succeedsWithin(HANG)
          .extracting(ArchiveStore.Stored::archivedTotal).isEqualTo(100L);
    }
  }

  @Test
  void aWriteThatKeepsFailingIsLoggedOnceNotOnceEachTime() {
    ListAppender<ILoggingEvent> archiveLog = capture(Archive.class);
    try (Archive archive = new Archive(ArchiveStore.open(dir.resolve("archive.db")), writer)) {
      for (int i = 0; i < 5; i++) {
        archive.run(store -> {
          throw new IllegalStateException("the same bug");
        });
      }
      assertThat(archive.write(store -> "after")).succeedsWithin(HANG);
    }
    // after close, which returns once every queued group is written: "after" may complete before the failures
    // of its own group are handled
    assertThat(archiveLog.list).hasSize(1);
    assertThat(archiveLog.list.get(0).getFormattedMessage()).contains("the same bug");
  }

  private ListAppender<ILoggingEvent> capture(Class<?> source) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Logger logger = (Logger) LoggerFactory.getLogger(source);
    logger.addAppender(appender);
    detach.add(() -> logger.detachAppender(appender));
    return appender;
  }

  private long count(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("archive.db"));
        ResultSet result = connection.createStatement().executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  private static List<MessageRecord> messages(long firstId, int count) {
    List<MessageRecord> messages = new ArrayList<>();
    for (long id = firstId; id < firstId + count; id++) {
      messages.add(SampleArchive.message(CHAT, id, 7, (int) id, "message " + id + " " + "text ".repeat(40)));
    }
    return messages;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
