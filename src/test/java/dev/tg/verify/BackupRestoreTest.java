package dev.tg.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.cli.Cli;
import dev.tg.config.TgConfig;
import dev.tg.node.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code tg node --demo} processes, as a user runs them: a second node on the same data directory is refused
 * naming the first; a backup taken during backfill with live traffic, restored into a fresh directory, is where a
 * node resumes from, and the crash checker finds nothing missing, twice or passed by a cursor; SIGTERM exits 0.
 */
class BackupRestoreTest {

  @TempDir
  Path dir;

  @Test
  void aBackupTakenDuringBackfillIsWhereARestoredNodeResumesLosingNothing() throws Exception {
    int port = TestNode.freePort();
    Path original = writeConfig("original", port, 5);
    DemoNodeProcess node = DemoNodeProcess.start(original, port, dir.resolve("original.log"));
    DemoNodeProcess restored = null;
    try {
      JsonNode backfilling = waitFor(node, status -> status.path("synced_messages").asLong() > 0);

      Cli.Result backup = Cli.runPlain("backup", dir.resolve("backup").toString(), "--config", original.toString());
      assertThat(backup.exitCode()).as(backup.toString()).isZero();
      JsonNode afterBackup = node.status();
      assertThat(CrashTest.complete(backfilling) || CrashTest.complete(afterBackup))
          .as("the backup was taken during backfill").isFalse();
      Process second = secondNode(original);
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).as("a second node on the same data directory").isEqualTo(2);
      assertThat(Files.readString(dir.resolve("second.log")))
          .contains("another tg node (pid " + node.pid() + ", since", "is using " + dir.resolve("original"));

      assertThat(ownerOnly(dir.resolve("backup"))).as("every file and directory of the backup is owner-only")
          .isTrue();
      assertThat(node.stop(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
      node = null;

      Path fresh = writeConfig("restored", port, 100); // the rest of the history quickly
      Cli.Result restore = Cli.runPlain("restore", dir.resolve("backup").toString(), "--config", fresh.toString());
      assertThat(restore.exitCode()).as(restore.toString()).isZero();
      long backedUp = messages(dir.resolve("backup"));
      assertThat(backedUp).isPositive();
      assertThat(messages(dir.resolve("restored"))).as("the node resumes from the backup").isEqualTo(backedUp);
      restored = DemoNodeProcess.start(fresh, port, dir.resolve("restored.log"));
      waitUntilSettled(restored);
      // what the original heard after the backup is not in it: as if it was down, which the re-sweep makes good
      NodeRuns resumed = new NodeRuns(List.of(restored.run()));
      assertThat(restored.stop(Duration.ofSeconds(30))).isZero();
      Instant stoppedAt = Instant.now();
      restored = null;

      ArchiveCheck.Report report = ArchiveCheck.check(TgConfig.load(fresh), stoppedAt, resumed);
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
      String figures = printed.toString(StandardCharsets.UTF_8);
      System.out.print(figures);
      assertThat(report.enabledChats()).isPositive();
      assertThat(report.failures()).as("every failing count of%n%s", figures).isZero();
    } finally {
      if (node != null) {
        node.destroy();
      }
      if (restored != null) {
        restored.destroy();
      }
    }
  }

  /** The tiny world with live traffic, history in small batches: at 5 requests a second it lasts a while. */
  private Path writeConfig(String name, int port, int requestsPerSecond) throws IOException {
    return DemoNodeProcess.writeConfig(dir.resolve(name + ".conf"), dir.resolve(name), dir.resolve("config"), port, """
        demo { seed = 5, world = "tiny", live-messages-per-second = 4, rtt = 10ms, accounts = 1 }
        sync { history-batch-size = 5, history-batch-interval = 100ms, rate-limits.global-rps = %d }
        """.formatted(requestsPerSecond));
  }

  private Process secondNode(Path config) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), "dev.tg.cli.Main", "node", "--demo", "--config", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("second.log").toFile())
        .start();
  }

  private static JsonNode waitFor(DemoNodeProcess node, java.util.function.Predicate<JsonNode> condition) {
    return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(node::status, status -> status != null && condition.test(status));
  }

  /** Every enabled chat complete, nothing running or queued, twice a second apart. */
  static void waitUntilSettled(DemoNodeProcess node) {
    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      JsonNode first = node.status();
      return quiet(first) && quiet(node.status());
    });
  }

  private static boolean quiet(JsonNode status) {
    return status != null && CrashTest.complete(status) && status.path("active_jobs").isEmpty()
        && status.path("rate_limit_status").path("in_flight").asInt() == 0
        && status.path("rate_limit_status").path("queued").asInt() == 0;
  }

  private static long messages(Path dataDir) {
    return ((Number) TestNode.query(dataDir.resolve("archive.db"), "SELECT count(*) AS n FROM messages").get(0)
        .get("n")).longValue();
  }

  private static boolean ownerOnly(Path root) throws IOException {
    try (Stream<Path> tree = Files.walk(root)) {
      return tree.allMatch(path -> {
        try {
          String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
          return mode.equals(Files.isDirectory(path) ? "rwx------" : "rw-------");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }
  }
}
