package dev.tg.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
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
}
