package dev.tg.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.cluster.SharedDatabase;
import dev.tg.cluster.TestPostgres;
import dev.tg.config.DatabaseSettings.Postgres;
import dev.tg.config.OwnerOnlyFiles;
import dev.tg.config.TgConfig;
import dev.tg.node.NodeLauncher;
import dev.tg.node.TestNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The failover drill ({@code scripts/cluster-test}): several node JVMs on loopback form a Pekko Cluster (the
 * accounts sharded over them) on one embedded PostgreSQL (journal, archive, leases), all with the same demo
 * accounts. During backfill the node running the most accounts is killed with SIGKILL and started again once its
 * accounts run elsewhere; then a second one the same way. At the end every account's archive must equal
 * its world's ground truth ({@link ArchiveCheck} on PostgreSQL), and the journal must show that no chat ever had
 * two runners: each chat's events come from one writer at a time, and a writer that gave way never writes again.
 * For each kill it prints how long each account of the killed node stayed dark: from the kill to the account's
 * next stored message (history, or live traffic once its history is complete).
 */
@Command(name = "cluster-test", mixinStandardHelpOptions = true,
    description = "Kills nodes of a cluster on one PostgreSQL during backfill and checks that every account's "
        + "archive is whole and never had two runners.")
public final class ClusterDrill implements Callable<Integer> {
  private static final Duration LEASE_TTL = Duration.ofSeconds(6);
  private static final Duration RENEW_INTERVAL = Duration.ofSeconds(2);
  // the Split Brain Resolver downs a killed member after this, and sharding moves its accounts on
  private static final Duration STABLE_AFTER = Duration.ofSeconds(4);

  @Option(names = "--nodes", description = "Node JVMs (default: ${DEFAULT-VALUE}).")
  int nodes = 3;

  @Option(names = "--accounts", description = "Demo accounts, configured on every node (default: ${DEFAULT-VALUE}).")
  int accounts = 6;

  @Option(names = "--kills", description = "Nodes killed, one after another, fewer than --nodes; 0 for a run "
      + "that only measures (default: ${DEFAULT-VALUE}).")
  int kills = 2;

  @Option(names = "--world", description = "tiny or demo (default: ${DEFAULT-VALUE}).")
  String world = "tiny";

  @Option(names = "--seed", description = "Seed of the worlds (default: ${DEFAULT-VALUE}).")
  long seed = 12;

  @Option(names = "--rtt-ms", description = "Simulated round trip to Telegram, ms (default: ${DEFAULT-VALUE}).")
  long rttMillis = 10;

  @Option(names = "--live-rate", paramLabel = "MSG/S", description = "Live messages per second over each world, "
      + "above 0 when nodes are killed: an account's next message tells that it runs again (default: "
      + "${DEFAULT-VALUE}).")
  double liveRate = 1;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where the nodes' data and logs go (default: a new temporary directory).")
  Path workDir;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest wait for any one phase "
      + "(default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 300;

  private final PrintStream out;
  private final List<Path> configs = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<DemoNodeProcess> running = new ArrayList<>();
  private final List<Duration> darkTimes = new ArrayList<>();
  private Postgres database;

  ClusterDrill(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    LoggerFactory.getILoggerFactory();
    System.exit(new CommandLine(new ClusterDrill(System.out)).execute(args));
  }

  /**
   * What the drill found; {@code passed} when every check held. {@code completedAfter}: from every account having a
   * runner to every account's enabled chats complete.
   */
  public record Result(boolean passed, long archiveFailures, List<String> twoRunners, List<Duration> darkTimes,
      Duration completedAfter) {}

  /** A run without kills on {@code nodes} nodes, for the scale benchmark. */
  public static Result measure(int nodes, int accounts, Duration rtt, Path dir, PrintStream out) throws Exception {
    ClusterDrill drill = new ClusterDrill(out);
    drill.nodes = nodes;
    drill.accounts = accounts;
    drill.kills = 0;
    drill.rttMillis = rtt.toMillis();
    drill.liveRate = 0;
    drill.workDir = dir;
    return drill.run();
  }

  @Override
  public Integer call() throws Exception {
    return run().passed() ? 0 : 1;
  }

  Result run() throws Exception {
    if (kills < 0 || kills >= nodes || kills > 0 && liveRate <= 0) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--kills must be fewer than --nodes, and needs a --live-rate above 0");
    }
    long started = System.nanoTime();
    Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("tg-cluster-test-");
    database = TestPostgres.freshDatabase();
    new SharedDatabase(database).migrate(); // before the drill reads the tables; the nodes find them made
    out.printf("cluster-test: %d nodes, %d accounts, %s world, seed %d, %.1f live msg/s, data in %s%n", nodes,
        accounts, world, seed, liveRate, dir);
    Instant epoch = Instant.now();
    for (int i = 0; i < nodes; i++) {
      ports.add(TestNode.freePort());
      clusterPorts.add(TestNode.freePort());
    }
    for (int i = 0; i < nodes; i++) {
      configs.add(writeConfig(dir, i, epoch));
    }
    try {
      // the first seed forms the cluster: started first, as docs/cluster.md says to (it answers no /status
      // before the others have joined: no account starts before)
      running.add(start(dir, 0, 1));
      waitUntil("node-0 listens for the others", () -> listening(clusterPorts.get(0)));
      for (int i = 1; i < nodes; i++) {
        running.add(start(dir, i, 1));
      }
      // killed before the others joined, the first seed would leave them no cluster to join
      waitUntilEveryNodeSeesEveryNodeUp();
      waitUntil("every account has a runner", () -> runners().size() == accounts);
      long everyAccountRunning = System.nanoTime();
      waitUntil("backfill under way", () -> archived().values().stream().mapToLong(Long::longValue).sum() > 0);
      // one at a time: with a member dead and another killed, keep-majority would down the survivors too
      for (int kill = 1; kill <= kills; kill++) {
        int node = killBusiestNode(kill);
        running.set(node, start(dir, node, kill + 1));
        // a node told to stop while it is still starting may not stop: it is let start and join first
        waitUntilEveryNodeSeesEveryNodeUp();
      }
      waitUntil("every account's enabled chats complete", this::everyAccountComplete);
      Duration completedAfter = Duration.ofNanos(System.nanoTime() - everyAccountRunning);
      out.printf("every account complete %.1f s after each had a runner%n", completedAfter.toMillis() / 1000.0);
      Thread.sleep(2_000); // a little live traffic after the backfill
      for (DemoNodeProcess node : running) {
        node.stop(Duration.ofSeconds(60));
      }
      Instant stoppedAt = Instant.now();
      out.println("every node stopped with SIGTERM; checking the archives against the worlds");
      ArchiveCheck.Report report = ArchiveCheck.check(TgConfig.load(configs.get(0)), stoppedAt);
      report.print(out);
      List<String> twoRunners = twoRunners();
      out.printf("chats whose events came from a second runner while the first still wrote: %d%n",
          twoRunners.size());
      twoRunners.stream().limit(20).forEach(line -> out.println("  " + line));
      boolean passed = report.failures() == 0 && report.enabledChats() > 0 && twoRunners.isEmpty();
      out.printf("cluster-test %s in %.1f s%n", passed ? "PASSED" : "FAILED", (System.nanoTime() - started) / 1e9);
      return new Result(passed, report.failures(), twoRunners, darkTimes, completedAfter);
    } finally {
      running.forEach(DemoNodeProcess::destroy);
    }
  }

  /** Kills the node running the most accounts, and waits until each of them stores a message again elsewhere. */
  private int killBusiestNode(int kill) throws Exception {
    Map<String, String> runners = runners();
    int victim = -1;
    long most = -1;
    for (int i = 0; i < nodes; i++) {
      String node = "node-" + i + "/";
      long held = runners.values().stream().filter(holder -> holder.startsWith(node)).count();
      if (running.get(i).isAlive() && held > most) {
        victim = i;
        most = held;
      }
    }
    String prefix = "node-" + victim + "/";
    List<String> orphaned = runners.entrySet().stream().filter(entry -> entry.getValue().startsWith(prefix))
        .map(Map.Entry::getKey).sorted().toList();
    Map<String, Long> before = archived();
    running.get(victim).kill();
    long killedAt = System.nanoTime();
    out.printf("kill %d: SIGKILL node-%d, which ran %s%n", kill, victim, orphaned);
    Map<String, Duration> dark = new LinkedHashMap<>();
    waitUntil("the accounts of node-" + victim + " store messages again", () -> {
      Map<String, Long> now = archived();
      for (String account : orphaned) {
        if (!dark.containsKey(account) && now.getOrDefault(account, 0L) > before.getOrDefault(account, 0L)) {
          dark.put(account, Duration.ofNanos(System.nanoTime() - killedAt));
        }
      }
      return dark.size() == orphaned.size();
    });
    dark.forEach((account, time) -> out.printf("  %s: next message stored %.1f s after the kill, by %s%n", account,
        time.toMillis() / 1000.0, runners().get(account)));
    darkTimes.addAll(dark.values());
    return victim;
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /**
   * Before a kill: a member the leader moved to Up may still be WeaklyUp in the others' gossip, and keep-majority
   * counts only Up members, so survivors that saw nobody Up but the victim would down themselves.
   */
  private void waitUntilEveryNodeSeesEveryNodeUp() throws InterruptedException {
    waitUntil("every node sees every node up", () -> running.stream().allMatch(node -> membersUp(node) == nodes));
  }

  private static long membersUp(DemoNodeProcess node) {
    JsonNode status = node.status();
    if (status == null) {
      return 0;
    }
    return StreamSupport.stream(status.path("cluster_members").spliterator(), false)
        .filter(member -> member.path("status").asText().equals("up")).count();
  }

  private DemoNodeProcess start(Path dir, int node, int run) throws IOException {
    return DemoNodeProcess.start(configs.get(node), ports.get(node), dir.resolve("node-" + node + "-" + run + ".log"));
  }

  /**
   * Each node's configuration; every node has the same accounts, whose worlds begin at the same epoch (kept in
   * each data directory, as a demo node keeps it), so that any node meets the same world for an account.
   */
  private Path writeConfig(Path dir, int node, Instant epoch) throws IOException {
    Path dataDir = dir.resolve("node-" + node);
    for (int i = 0; i < accounts; i++) {
      Path epochFile = dataDir.resolve("accounts").resolve(account(i)).resolve("demo-epoch");
      OwnerOnlyFiles.createFile(epochFile);
      Files.writeString(epochFile, epoch + "\n");
    }
    Path config = dir.resolve("node-" + node + ".conf");
    Files.writeString(config, """
        # written by scripts/cluster-test
        tg {
          data-dir = "%s"
          config-dir = "%s"
          http { host = "127.0.0.1", port = %d }
          demo { seed = %d, world = "%s", live-messages-per-second = %s, rtt = %dms, accounts = %d }
          sync { history-batch-size = 20, history-batch-interval = 100ms }
          # the files of an account would stay on the node that fetched them (docs/cluster.md)
          media.enabled = false
          storage {
            database = postgres
            postgres { url = "%s", user = "%s", password = "%s" }
          }
          cluster {
            node-id = "node-%d", lease-ttl = %ds, lease-renew-interval = %ds
            enabled = true, host = "127.0.0.1", port = %d, seed-nodes = [%s], stable-after = %ds
          }
        }
        %s
        """.formatted(dataDir, dir.resolve("config-" + node), ports.get(node), seed, world, liveRate, rttMillis,
        accounts, database.url(), database.user(), database.password(), node, LEASE_TTL.toSeconds(),
        RENEW_INTERVAL.toSeconds(), clusterPorts.get(node), String.join(", ", clusterPorts.stream()
            .map(port -> "\"127.0.0.1:" + port + "\"").toList()), STABLE_AFTER.toSeconds(),
        // measuring: no account starts before every node has joined, so that the accounts are spread from the
        // start; not with kills, as sharding allocates nothing while fewer members than this are up
        kills == 0 ? "pekko.cluster.min-nr-of-members = " + nodes : ""));
    return config;
  }

  private static String account(int i) {
    return i == 0 ? NodeLauncher.DEMO_ACCOUNT : NodeLauncher.DEMO_ACCOUNT + "-" + (i + 1);
  }

  /** The holder of each account's lease now, by account. */
  private Map<String, String> runners() {
    Map<String, String> runners = new HashMap<>();
    query("SELECT account, holder FROM account_lease WHERE holder IS NOT NULL AND expires_at > now()",
        row -> runners.put(row.getString(1), row.getString(2)));
    return runners;
  }

  private Map<String, Long> archived() {
    Map<String, Long> counts = new HashMap<>();
    query("SELECT account, sum(archived) FROM chat_message_counts GROUP BY account",
        row -> counts.put(row.getString(1), row.getLong(2)));
    return counts;
  }

  private Map<String, Boolean> complete() {
    Map<String, Boolean> complete = new HashMap<>();
    query("SELECT account, count(*) FILTER (WHERE history_complete = 0) = 0 AND count(*) > 0 FROM chat_sync_state "
        + "WHERE sync_enabled = 1 GROUP BY account", row -> complete.put(row.getString(1), row.getBoolean(2)));
    return complete;
  }

  private boolean everyAccountComplete() {
    Map<String, Boolean> complete = complete();
    return complete.size() == accounts && complete.values().stream().allMatch(Boolean::booleanValue);
  }

  /**
   * Chats where a writer (one journal plugin instance: one node's run) wrote again after another had taken over:
   * what two runners of one account at once would leave. The primary key on (persistence id, sequence number)
   * already refuses two events at one place; this finds the interleaving too.
   */
  private List<String> twoRunners() {
    Map<String, List<String>> writers = new LinkedHashMap<>();
    query("SELECT persistence_id, writer FROM event_journal ORDER BY persistence_id, sequence_number", row -> {
      List<String> runs = writers.computeIfAbsent(row.getString(1), id -> new ArrayList<>());
      if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(row.getString(2))) {
        runs.add(row.getString(2));
      }
    });
    List<String> problems = new ArrayList<>();
    writers.forEach((chat, runs) -> {
      if (runs.stream().distinct().count() < runs.size()) {
        problems.add(chat + ": writers " + runs);
      }
    });
    problems.sort(Comparator.naturalOrder());
    return problems;
  }

  private interface RowReader {
    void read(ResultSet row) throws SQLException;
  }

  private void query(String sql, RowReader reader) {
    try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
        PreparedStatement select = connection.prepareStatement(sql);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        reader.read(rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the shared database: " + e.getMessage(), e);
    }
  }

  private void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    while (!condition.getAsBoolean()) {
      for (int i = 0; i < running.size(); i++) {
        if (running.get(i).exitedOnItsOwn()) {
          throw new IllegalStateException("node-" + i + " exited by itself while waiting for " + what);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + timeoutSeconds + " s: " + what);
      }
      Thread.sleep(100);
    }
  }

}
