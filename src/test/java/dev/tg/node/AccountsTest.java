package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.tg.config.NodeSettings;
import dev.tg.config.TgConfig;
import dev.tg.simulator.SimulatedTdJson;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import dev.tg.telegram.TdDispatcher;
import dev.tg.telegram.TdJson;
import dev.tg.telegram.TdlibParameters;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two accounts on one node: one account's TDLib client keeps dying, the other syncs on; then both finish. */
class AccountsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;

  /** A TDLib whose clients die (authorizationStateClosed) and cannot be created again while it is failing. */
  private static final class FailingTdJson implements TdJson {
    private final TdJson tdlib;
    private final Set<Integer> clients = ConcurrentHashMap.newKeySet();
    private final Queue<String> injected = new ConcurrentLinkedQueue<>();
    private volatile boolean failing;
    private volatile int failedStarts;

    FailingTdJson(TdJson tdlib) {
      this.tdlib = tdlib;
    }

    // synchronized with createClientId: a client created while fail() runs is either refused or told it closed
    synchronized void fail() {
      failing = true;
      clients.forEach(id -> injected.add("{\"@type\":\"updateAuthorizationState\",\"authorization_state\":"
          + "{\"@type\":\"authorizationStateClosed\"},\"@client_id\":" + id + "}"));
    }

    void recover() {
      failing = false;
    }

    @Override
    public synchronized int createClientId() {
      if (failing) {
        failedStarts++;
        throw new IllegalStateException("the TDLib instance is failing");
      }
      int id = tdlib.createClientId();
      clients.add(id);
      return id;
    }

    @Override
    public void send(int clientId, String request) {
      tdlib.send(clientId, request);
    }

    @Override
    public String receive(double timeoutSeconds) {
      String next = injected.poll();
      return next != null ? next : tdlib.receive(timeoutSeconds);
    }

    @Override
    public String execute(String request) {
      return tdlib.execute(request);
    }
  }

  @Test
  void aFailingAccountRestartsOnItsOwnWhileTheOtherKeepsSyncing() throws Exception {
    Config config = TgConfig.load(null)
        .withValue("tg.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()))
        .withValue("tg.http.port", ConfigValueFactory.fromAnyRef(TestNode.freePort()));
    for (Map.Entry<String, Object> fast : TestNode.fast().entrySet()) {
      config = config.withValue(fast.getKey(), ConfigValueFactory.fromAnyRef(fast.getValue()));
    }
    NodeSettings settings = NodeSettings.from(config);
    SimulatedTelegram steadyWorld = new SimulatedTelegram(
        WorldSpec.tiny(51).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    SimulatedTelegram flakyWorld = new SimulatedTelegram(
        WorldSpec.tiny(52).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    FailingTdJson flakyTdlib = new FailingTdJson(new SimulatedTdJson(flakyWorld));
    List<Node.AccountPlan> plans = List.of(
        NodeLauncher.demoPlan(settings, "steady", SimulatedTdlib.of(steadyWorld, "steady").dispatcher()),
        new Node.AccountPlan("flaky", new TdDispatcher(flakyTdlib, "flaky"),
            TdlibParameters.of(settings.sessionDir("flaky"), 1, "demo", new byte[0], true)));
    NodeLauncher.RunningNode node = NodeLauncher.start(config, settings, plans, List.of(steadyWorld, flakyWorld), null);
    try {
      // the failing account's client dies before it could sync anything
      flakyTdlib.fail();

      await().atMost(Duration.ofSeconds(30)).until(() -> flakyTdlib.failedStarts >= 2);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> complete(status(settings, "?account=steady")));
      assertThat(complete(status(settings, "?account=flaky"))).isFalse();

      flakyTdlib.recover();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> complete(status(settings, "?account=flaky")));

      JsonNode both = status(settings, "");
      assertThat(both.path("accounts")).extracting(account -> account.path("name").asText())
          .containsExactly("steady", "flaky");
      assertThat(both.path("chats").path("total_chats").asInt()).isEqualTo(
          both.path("accounts").get(0).path("chats").path("total_chats").asInt()
              + both.path("accounts").get(1).path("chats").path("total_chats").asInt());
      for (var account : Map.of("steady", steadyWorld, "flaky", flakyWorld).entrySet()) {
        GroundTruth.Archive archive = (sql, values) -> TestNode.query(settings.archiveFile(), sql, values);
        List<Long> synced = TestNode.query(settings.archiveFile(), "SELECT chat_id FROM chat_sync_state WHERE account = ? "
            + "AND sync_enabled = 1", account.getKey()).stream()
            .map(row -> ((Number) row.get("chat_id")).longValue()).toList();
        assertThat(synced).isNotEmpty();
        assertThat(GroundTruth.problems(archive, account.getValue(), account.getKey(), synced, true)).isEmpty();
      }
    } finally {
      node.stop();
    }
  }

  private static boolean complete(JsonNode status) {
    JsonNode chats = status.path("chats");
    return chats.path("total_chats").asInt() > 0
        && chats.path("sync_enabled").asInt() == chats.path("fully_synced").asInt();
  }

  private static JsonNode status(NodeSettings settings, String query) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + settings.httpPort() + "/status" + query)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }
}
