package dev.tg.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.config.NodeSettings;
import dev.tg.config.TgConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The crash-safety proof ({@code scripts/crash-test}): runs the demo node on a fresh data directory, kills it with
 * SIGKILL at random moments (during backfill, right after a restart while it catches up, during live traffic),
 * restarts it each time, lets it finish, stops it with SIGTERM and checks the archive with {@link ArchiveCheck} and
 * the media with {@link MediaCheck}. Exit code 0 only when nothing is missing, duplicated, passed by a cursor or
 * out of step with the journal, no file marked done differs from the world's, and none is left unfinished.
 */
@Command(name = "crash-test", mixinStandardHelpOptions = true,
    description = "Kills the demo node at random moments, restarts it, and checks the archive against the "
        + "simulated world's ground truth.")
public final class CrashTest implements Callable<Integer> {

  @Option(names = "--cycles", description = "Kills before the final run (default: ${DEFAULT-VALUE}).")
  int cycles = 3;

  @Option(names = "--seed", description = "Seed of the world and of the kill moments (default: random).")
  Long seed;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where the node's data and logs go (default: a new temporary directory).")
  Path workDir;

  @Option(names = "--live-rate", paramLabel = "MSG/S",
      description = "Live messages per second over the world (default: ${DEFAULT-VALUE}).")
  double liveRate = 4;

  @Option(names = "--world", description = "tiny or demo (default: ${DEFAULT-VALUE}).")
  String world = "tiny";

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "Longest wait for any one phase (default: 120 for the tiny world, 1200 for the demo world, "
          + "whose backfill alone takes minutes).")
  Integer timeout;

  private int timeoutSeconds;

  private enum Moment {
    BACKFILL("during backfill"),
    // second: the files of the first run's messages are downloaded once the chat lists are loaded again
    DOWNLOADS("during media downloads"),
    CATCH_UP("right after a restart, during catch-up"),
    LIVE("during live traffic, backfill done");

    final String label;

    Moment(String label) {
      this.label = label;
    }
  }

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    LoggerFactory.getILoggerFactory(); // initialised before Pekko logs, so nothing is replayed with a warning
    System.exit(new CommandLine(new CrashTest()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    long runSeed = seed != null ? seed : new Random().nextInt(1_000_000);
    timeoutSeconds = timeout != null ? timeout : world.equals("demo") ? 1200 : 120;
    Random random = new Random(runSeed);
    Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("tg-crash-test-");
    int port = freePort();
    Path config = writeConfig(dir, runSeed, port);
    out.printf("crash-test: seed %d, %d cycle(s), %s world, %.1f live msg/s, data in %s%n",
        runSeed, cycles, world, liveRate, dir.resolve("data"));
    long started = System.nanoTime();
    DemoNodeProcess node = null;
    List<NodeRuns.Run> runs = new ArrayList<>();
    try {
      for (int cycle = 1; cycle <= cycles; cycle++) {
        Moment moment = Moment.values()[(cycle - 1) % Moment.values().length];
        node = DemoNodeProcess.start(config, port, dir.resolve("node-" + cycle + ".log"));
        JsonNode status = killAt(node, moment, random, runs);
        out.printf("cycle %d: SIGKILL %s after %.1f s (%s)%n", cycle, moment.label, seconds(node.uptime()),
            describe(status));
        node = null;
        Thread.sleep(random.nextInt(1500)); // messages arrive while the node is down
      }
      node = DemoNodeProcess.start(config, port, dir.resolve("node-final.log"));
      JsonNode status = waitUntilSettled(node);
      out.printf("final run: settled after %.1f s (%s)%n", seconds(node.uptime()), describe(status));
      NodeRuns.Run last = node.run();
      int exit = node.stop(Duration.ofSeconds(30));
      Instant stoppedAt = Instant.now();
      node = null;
      runs.add(last);
      NodeRuns nodeRuns = new NodeRuns(runs);
      nodeRuns.write(dir.resolve(CrashCheckCommand.RUNS_FILE));
      out.printf("stopped with SIGTERM (exit code %d); checking the archive%n", exit);
      ArchiveCheck.Report report = ArchiveCheck.check(TgConfig.load(config), stoppedAt, nodeRuns);
      report.print(out);
      MediaCheck.Report media = MediaCheck.check(NodeSettings.from(TgConfig.load(config)));
      media.print(out);
      boolean passed = report.failures() == 0 && report.enabledChats() > 0 && media.failures() == 0;
      out.printf("crash-test %s in %.1f s (seed %d)%n", passed ? "PASSED" : "FAILED",
          (System.nanoTime() - started) / 1e9, runSeed);
      return passed ? 0 : 1;
    } finally {
      if (node != null) {
        node.destroy();
      }
    }
  }

  /** Waits for the moment, then kills the node and adds its run; returns the last status seen. */
  private JsonNode killAt(DemoNodeProcess node, Moment moment, Random random, List<NodeRuns.Run> runs)
      throws InterruptedException {
    JsonNode status = switch (moment) {
      case BACKFILL -> waitFor(node, s -> s.path("synced_messages").asLong() > 0 || complete(s));
      case CATCH_UP -> waitFor(node, s -> true);
      case LIVE -> waitFor(node, CrashTest::complete);
      case DOWNLOADS -> waitFor(node, s -> s.path("media").path("downloading_files").asInt() > 0 || complete(s)
          && s.path("media").path("pending_files").asLong() == 0);
    };
    long delay = switch (moment) {
      case BACKFILL -> random.nextInt(1500);
      case CATCH_UP -> random.nextInt(1200);
      case LIVE -> 300 + random.nextInt(2500);
      case DOWNLOADS -> random.nextInt(100);
    };
    JsonNode last = status;
    long until = System.nanoTime() + Duration.ofMillis(delay).toNanos();
    while (System.nanoTime() < until) { // watched meanwhile, to see when its connection is ready
      JsonNode now = node.status();
      last = now != null ? now : last;
      Thread.sleep(Math.max(0, Math.min(50, (until - System.nanoTime()) / 1_000_000)));
    }
    runs.add(node.kill());
    return last;
  }

  /** Every enabled chat complete, nothing running or queued, for a second in a row. */
  private JsonNode waitUntilSettled(DemoNodeProcess node) throws InterruptedException {
    long quietSince = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = node.status();
      boolean quiet = status != null && complete(status) && status.path("active_jobs").isEmpty()
          && status.path("media").path("pending_files").asLong() == 0
          && status.path("rate_limit_status").path("in_flight").asInt() == 0
          && status.path("rate_limit_status").path("queued").asInt() == 0
          && status.path("daemon_uptime_seconds").asLong() >= 2;
      if (!quiet) {
        quietSince = 0;
      } else if (quietSince == 0) {
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= Duration.ofSeconds(1).toNanos()) {
        return status;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the node did not finish within " + timeoutSeconds + " s");
  }

  private JsonNode waitFor(DemoNodeProcess node, Predicate<JsonNode> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = node.status();
      if (status != null && condition.test(status)) {
        return status;
      }
      Thread.sleep(50);
    }
    node.destroy();
    throw new IllegalStateException("the node did not get there within " + timeoutSeconds + " s");
  }

  static boolean complete(JsonNode status) {
    JsonNode chats = status.path("chats");
    int enabled = chats.path("sync_enabled").asInt();
    return enabled > 0 && chats.path("fully_synced").asInt() >= enabled;
  }

  private static String describe(JsonNode status) {
    if (status == null) {
      return "no status yet";
    }
    JsonNode chats = status.path("chats");
    Map<String, Integer> jobs = new TreeMap<>();
    status.path("active_jobs").forEach(job -> jobs.merge(job.path("job_type").asText(), 1, Integer::sum));
    StringBuilder described = new StringBuilder();
    jobs.forEach((kind, count) -> described.append(described.length() == 0 ? "" : ", ")
        .append(count == 1 ? kind : count + " " + kind));
    return chats.path("fully_synced").asInt() + "/" + chats.path("sync_enabled").asInt() + " chats complete, "
        + status.path("synced_messages").asLong() + " messages archived, media "
        + status.path("media").path("downloading_files").asLong() + " downloading, "
        + status.path("media").path("pending_files").asLong() + " pending, "
        + status.path("media").path("done_files").asLong() + " done"
        + (jobs.isEmpty() ? "" : ", jobs: " + described);
  }

  private Path writeConfig(Path dir, long runSeed, int port) throws IOException {
    return DemoNodeProcess.writeConfig(dir.resolve("node.conf"), dir.resolve("data"), dir.resolve("config"), port, """
        # written by scripts/crash-test
        demo { seed = %d, world = "%s", live-messages-per-second = %s, rtt = 10ms, accounts = 1 }
        # small batches: more batches, cursor events and moments to be killed in
        sync { history-batch-size = 20, history-batch-interval = 100ms }
        # slow downloads, so that a kill finds some under way
        media { max-bytes-per-second = 300kB, max-attempts = 2 }
        """.formatted(runSeed, world, liveRate));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
