package dev.tg.bench;

import dev.tg.verify.ClusterDrill;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accounts per second completed by one node and by three (node JVMs in a Pekko Cluster on one embedded
 * PostgreSQL, the accounts sharded over them), on simulated accounts with a round trip to Telegram, so that three
 * nodes can overlap their waiting; one node is the baseline of the same run.
 */
final class ClusterBench {
  private static final Duration RTT = Duration.ofMillis(100);

  private final Bench bench;

  ClusterBench(Bench bench) {
    this.bench = bench;
  }

  Map<String, Object> run() throws Exception {
    int accounts = 6;
    Map<String, Object> figures = bench.header("cluster", accounts + " tiny demo accounts (the crash test's world), "
        + "simulated RTT " + RTT.toMillis() + " ms, no live traffic, media off: from every account having a runner "
        + "to every account's enabled chats complete (the accounts start once every node has joined), on one node "
        + "and on three node JVMs sharing one embedded "
        + "PostgreSQL 14 (journal, archive, leases) on this machine");
    Map<String, Object> one = measure(1, accounts);
    Map<String, Object> three = measure(3, accounts);
    figures.put("one_node", one);
    figures.put("three_nodes", three);
    double speedup = (double) three.get("accounts_per_second") / (double) one.get("accounts_per_second");
    figures.put("three_nodes_against_one", Bench.round(speedup));
    figures.put("target", "figures for docs/benchmarks.md: accounts/s on one node and on three");
    figures.put("met", (boolean) one.get("passed") && (boolean) three.get("passed"));
    return figures;
  }

  private Map<String, Object> measure(int nodes, int accounts) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ClusterDrill.Result result = ClusterDrill.measure(nodes, accounts, RTT, bench.work().resolve("cluster-" + nodes),
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    System.out.print(printed.toString(StandardCharsets.UTF_8));
    double seconds = result.completedAfter().toMillis() / 1000.0;
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("nodes", nodes);
    figures.put("accounts", accounts);
    figures.put("seconds", Bench.round(seconds));
    figures.put("accounts_per_second", Bench.round(accounts / seconds));
    figures.put("passed", result.passed());
    return figures;
  }
}
