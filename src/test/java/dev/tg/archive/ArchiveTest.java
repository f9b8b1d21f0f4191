package dev.tg.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveTest {
  // long enough for any write here; only a write that never ends waits this long
  private static final Duration HANG = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final ExecutorService writer = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    writer.shutdownNow();
  }

  /** Finding 6c of issue 10: an Error (not an exception) in a write must not leave the writer stuck. */
  @Test
  void aWriteThatThrowsAnErrorFailsAloneAndLaterWritesGoOn() {
    try (Archive archive = new Archive(ArchiveStore.open(dir.resolve("archive.db")), writer)) {
      var failing = archive.write(store -> {
        throw new AssertionError("a bug in a write");
      }).toCompletableFuture();
      var later = archive.write(store -> "written").toCompletableFuture();

      assertThat(failing).failsWithin(HANG);
      assertThat(later).succeedsWithin(HANG).isEqualTo("written");
    }
  }

  /** Writes the actors queued before a clean stop are written when the archive closes, not dropped. */
  @Test
  void closingWritesWhatWasQueuedBeforeIt() throws Exception {
    CountDownLatch writerBusy = new CountDownLatch(1);
    writer.execute(() -> {
      try {
        writerBusy.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Archive archive = new Archive(ArchiveStore.open(dir.resolve("archive.db")), writer);
    archive.run(store -> store.saveChat("demo", new ChatRecord(7, "private", "Anna", 2, 0)));
    var queued = archive.write(store -> "written").toCompletableFuture();
    archive.close();
    writerBusy.countDown();
    assertThat(queued).succeedsWithin(HANG).isEqualTo("written");
    assertThat(archive.write(store -> "late").toCompletableFuture()).failsWithin(HANG);
    try (ArchiveReader reader = ArchiveReader.open(dir.resolve("archive.db"))) {
      assertThat(reader.rows("SELECT title FROM chats WHERE chat_id = 7")).hasSize(1);
    }
  }
}
