package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.tg.cluster.AccountLeases;
import dev.tg.cluster.SharedDatabase;
import dev.tg.cluster.TestPostgres;
import dev.tg.config.DatabaseSettings.Postgres;
import dev.tg.config.NodeSettings;
import dev.tg.config.TgConfig;
import dev.tg.simulator.RequestRecord;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in one JVM, members of one cluster on loopback Artery, sharing one embedded PostgreSQL: every account
 * runs on exactly one of them, any node's /status answers for all, and a node leaving or downed hands its accounts
 * to the others without two ever running one at once.
 */
class ClusterNodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> ACCOUNTS = List.of("alpha", "bravo", "charlie", "delta", "echo");

  @TempDir
  Path dirs;

  private final HttpClient http = HttpClient.newHttpClient();
  private final Instant epoch = Instant.now();
  private final List<Member> members = new ArrayList<>();

  /** One node: its data directory, HTTP port, and its own simulated TDLib per account, on the same worlds. */
  private record Member(String nodeId, NodeSettings settings, NodeLauncher.RunningNode running,
      Map<String, SimulatedTelegram> worlds) {
    String address() {
      return running.system().address().toString();
    }
  }

  @AfterEach
  void stopAll() {
    members.forEach(member -> member.running().stop());
  }

  @Test
  void everyAccountRunsOnceAnyNodeAnswersForAllAndLeavingOrDownedNodesHandTheirAccountsOver() throws Exception {
    Postgres database = TestPostgres.freshDatabase();
    new SharedDatabase(database).migrate();
    int seedPort = TestNode.freePort();
    Member a = start("node-a", seedPort, seedPort, database);
    Member b = start("node-b", TestNode.freePort(), seedPort, database);
    Member c = start("node-c", TestNode.freePort(), seedPort, database);
    // started by the nodes themselves, before anything asks them (the leases, not /status, tell)
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() ->
        heldBy(database, Set.of(a, b, c)).size() == ACCOUNTS.size());

    // spread over the three (the coordinator rebalances onto the members that joined last), and settled: every
    // node names the same runners, none of them between two members
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() ->
        allReadyOn(Set.of(a, b, c)) && Set.copyOf(runners(a).values())
            .equals(Set.of(a.address(), b.address(), c.address()))
        && runners(b).equals(runners(a)) && runners(c).equals(runners(a)));
    // asserted until they hold: the coordinator may still move a shard, and an account between two members has
    // no runner for a moment
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      Map<String, String> runnersOnA = runners(a);
      for (Member asked : List.of(a, b, c)) {
        JsonNode status = get(asked, "/status");
        assertThat(runners(status)).as("/status of %s names every account's runner", asked.nodeId())
            .isEqualTo(runnersOnA).containsOnlyKeys(ACCOUNTS).doesNotContainValue("");
        assertThat(status.path("cluster_members")).hasSize(3).allMatch(member ->
            member.path("status").asText().equals("up") && member.path("reachable").asBoolean());
        assertThat(status.path("chats").path("total_chats").asInt()).as("the chats of all accounts")
            .isGreaterThan(ACCOUNTS.size());
      }
    });
    assertRunsOnceEach(Set.of(a, b, c), database);
    try (Connection connection = new SharedDatabase(database).connect();
        Statement statement = connection.createStatement();
        ResultSet remembered = statement.executeQuery(
            "SELECT count(*) FROM event_journal WHERE persistence_id LIKE '/sharding/account%'")) {
      remembered.next();
      assertThat(remembered.getLong(1)).as("remembered accounts and shards in the shared journal").isPositive();
    }
    assertThat(get(b, "/chats")).as("/chats lists the chats of accounts running elsewhere too")
        .anyMatch(chat -> !runners(b).get(chat.path("account").asText()).equals(b.address()));
    askedOfAnotherNode(a, c);

    // a graceful leave: b's accounts move to a and c
    List<String> ofB = runners(a).entrySet().stream().filter(entry -> entry.getValue().equals(b.address()))
        .map(Map.Entry::getKey).toList();
    members.remove(b);
    b.running().stop();
    // remembered: started again on the others without a question
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() ->
        heldBy(database, Set.of(a, c)).keySet().containsAll(ofB));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() ->
        allReadyOn(Set.of(a, c)) && get(a, "/status").path("cluster_members").size() == 2);
    assertThat(ofB).allMatch(account -> Set.of(a.address(), c.address()).contains(runners(a).get(account)));
    assertThat(ofB).as("b closed each TDLib client it ran").allMatch(account -> b.worlds().get(account)
        .requestLog().stream().anyMatch(request -> request.type().equals("close")));
    assertRunsOnceEach(Set.of(a, c), database);

    // c downed (as the Split Brain Resolver would, or an operator): its accounts come back on a
    Cluster.get(a.running().system()).manager().tell(new Down(c.running().system().address()));
    c.running().whenStopped().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    members.remove(c);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() ->
        heldBy(database, Set.of(a)).size() == ACCOUNTS.size());
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() ->
        allReadyOn(Set.of(a)) && Set.copyOf(runners(a).values()).equals(Set.of(a.address())));
    assertThat(get(a, "/status").path("cluster_members")).hasSize(1);

    for (String account : ACCOUNTS) {
      assertThat(overlaps(account, List.of(a, b, c))).as("TDLib clients of %s open on two nodes at once", account)
          .isEmpty();
    }
  }

  /** A chat of an account running on {@code runner}, asked of {@code asked}: each query crosses the cluster. */
  private void askedOfAnotherNode(Member asked, Member runner) {
    String account = runners(asked).entrySet().stream().filter(entry -> entry.getValue().equals(runner.address()))
        .map(Map.Entry::getKey).findFirst().orElseThrow();
    JsonNode chat = StreamSupport.stream(get(asked, "/chats?account=" + account).spliterator(), false)
        .filter(view -> view.path("progress").path("access").asText().equals("active")).findFirst().orElseThrow();
    long chatId = chat.path("progress").path("chat_id").asLong();
    String query = "?account=" + account;
    assertThat(get(asked, "/chats/" + chatId + query).path("progress").path("chat_id").asLong()).isEqualTo(chatId);
    assertThat(send(asked, "POST", "/chats/" + chatId + "/sync" + query).statusCode()).isEqualTo(202);
    assertThat(send(asked, "POST", "/chats/" + chatId + "/media" + query).statusCode()).isEqualTo(202);
    assertThat(send(asked, "POST", "/chats/" + chatId + "/audit" + query).statusCode()).isEqualTo(202);
    assertThat(get(asked, "/chats/" + chatId + "/audit" + query).path("chat_id").asLong()).isEqualTo(chatId);
    assertThat(send(asked, "GET", "/chats/1/audit" + query).statusCode()).as("no audit of an unknown chat")
        .isEqualTo(404);
  }

  private Member start(String nodeId, int port, int seedPort, Postgres database) {
    Map<String, Object> overrides = TestNode.fast();
    overrides.putAll(TestPostgres.settings(database));
    overrides.put("tg.data-dir", dirs.resolve(nodeId).toString());
    overrides.put("tg.http.port", TestNode.freePort());
    overrides.put("tg.cluster.node-id", nodeId);
    overrides.put("tg.cluster.lease-ttl", "30s");
    overrides.put("tg.cluster.lease-renew-interval", "500ms");
    overrides.put("tg.cluster.enabled", true);
    overrides.put("tg.cluster.port", port);
    overrides.put("tg.cluster.seed-nodes", List.of("127.0.0.1:" + seedPort));
    overrides.put("tg.cluster.stable-after", "2s");
    // quick moves for the test: shards rebalanced every second onto new members
    overrides.put("pekko.cluster.sharding.rebalance-interval", "1s");
    overrides.put("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
    Config config = TgConfig.load(null);
    for (Map.Entry<String, Object> override : overrides.entrySet()) {
      config = config.withValue(override.getKey(), ConfigValueFactory.fromAnyRef(override.getValue()));
    }
    NodeSettings settings = NodeSettings.from(config);
    Map<String, SimulatedTelegram> worlds = new LinkedHashMap<>();
    List<Node.AccountPlan> plans = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS.size(); i++) {
      String account = ACCOUNTS.get(i);
      // the same world on every node (seed and epoch): Telegram's side of the account, seen from three places
      SimulatedTelegram world = new SimulatedTelegram(WorldSpec.tiny(100 + i).withLiveTraffic(0, 0, 0), epoch,
          Clock.systemUTC());
      worlds.put(account, world);
      plans.add(NodeLauncher.demoPlan(settings, account, SimulatedTdlib.of(world, account).dispatcher()));
    }
    NodeLauncher.RunningNode running = NodeLauncher.start(ConfigFactory.empty().withFallback(config), settings,
        plans, List.copyOf(worlds.values()), null);
    Member member = new Member(nodeId, settings, running, worlds);
    members.add(member);
    return member;
  }

  private boolean allReadyOn(Set<Member> asked) {
    return asked.stream().allMatch(member -> {
      JsonNode accounts = get(member, "/status").path("accounts");
      return accounts.size() == ACCOUNTS.size() && StreamSupport.stream(accounts.spliterator(), false)
          .allMatch(account -> account.path("connection_state").asText().equals("ready")
              && asked.stream().anyMatch(runner -> runner.address().equals(account.path("runner").asText())));
    });
  }

  /** The accounts whose lease one of {@code nodes} holds. */
  private static Map<String, String> heldBy(Postgres database, Set<Member> nodes) throws Exception {
    AccountLeases leases = new AccountLeases(new SharedDatabase(database), Clock.systemUTC());
    Map<String, String> held = new HashMap<>();
    for (String account : ACCOUNTS) {
      leases.current(account).map(AccountLeases.Lease::holder).ifPresent(holder -> nodes.stream()
          .filter(node -> holder.startsWith(node.nodeId() + "/")).forEach(node -> held.put(account, node.nodeId())));
    }
    return held;
  }

  /** Each account's runner, as {@code member}'s /status names it. */
  private Map<String, String> runners(Member member) {
    return runners(get(member, "/status"));
  }

  private static Map<String, String> runners(JsonNode status) {
    Map<String, String> runners = new HashMap<>();
    status.path("accounts").forEach(account ->
        runners.put(account.path("name").asText(), account.path("runner").asText()));
    return runners;
  }

  /**
   * The lease of each account is held by the node /status names as its runner, and no other node has a TDLib
   * client of it open: asserted until it holds, as a shard still moving has its account between two nodes (that
   * two never ran one at once is what {@link #overlaps} checks, from the request logs).
   */
  private void assertRunsOnceEach(Set<Member> up, Postgres database) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertRanOnceEach(up, database));
  }

  private void assertRanOnceEach(Set<Member> up, Postgres database) throws Exception {
    AccountLeases leases = new AccountLeases(new SharedDatabase(database), Clock.systemUTC());
    Map<String, String> runners = runners(up.iterator().next());
    for (String account : ACCOUNTS) {
      Member runner = up.stream().filter(member -> member.address().equals(runners.get(account))).findFirst()
          .orElse(null);
      assertThat(runner).as("%s's runner among %s", account, runners).isNotNull();
      assertThat(leases.current(account).orElseThrow().holder()).as("%s's lease", account)
          .startsWith(runner.nodeId() + "/");
      for (Member other : members) {
        if (other != runner) {
          assertThat(openClients(other.worlds().get(account))).as("%s open on %s", account, other.nodeId())
              .isEmpty();
        }
      }
    }
  }

  /** The clients that asked something of the world and have not closed. */
  private static Set<Integer> openClients(SimulatedTelegram world) {
    Map<Integer, Boolean> closed = new HashMap<>();
    world.requestLog().forEach(request -> closed.merge(request.clientId(), request.type().equals("close"),
        Boolean::logicalOr));
    return closed.entrySet().stream().filter(entry -> !entry.getValue()).map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  /** Pairs of runs of the account's TDLib on two nodes (first request to close) that overlap in time. */
  private static List<String> overlaps(String account, List<Member> nodes) {
    record Run(String node, Instant from, Instant to) {}
    List<Run> runs = new ArrayList<>();
    for (Member node : nodes) {
      Map<Integer, List<RequestRecord>> byClient = node.worlds().get(account).requestLog().stream()
          .collect(Collectors.groupingBy(RequestRecord::clientId));
      byClient.values().forEach(requests -> {
        Instant end = requests.stream().filter(request -> request.type().equals("close"))
            .map(RequestRecord::sentAt).findFirst().orElse(Instant.MAX);
        runs.add(new Run(node.nodeId(), requests.get(0).sentAt(), end));
      });
    }
    List<String> overlapping = new ArrayList<>();
    for (Run one : runs) {
      for (Run other : runs) {
        if (!one.node().equals(other.node()) && one.from().isBefore(other.from()) && other.from().isBefore(one.to())) {
          overlapping.add(one + " and " + other);
        }
      }
    }
    return overlapping;
  }

  private JsonNode get(Member member, String path) {
    try {
      return JSON.readTree(send(member, "GET", path).body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> send(Member member, String method, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + member.settings().httpPort() + path))
          .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(member.nodeId() + " not answering", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
