package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.simulator.RequestRecord;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request budget, read from the simulator's request log. */
class RatesTest {
  // requests that reach Telegram's servers (openChat of a supergroup or channel asks for its difference,
  // MessagesManager::open_dialog); getUser, getChat are answered from TDLib's cache
  private static final Set<String> NETWORK = Set.of(
      "getChatHistory", "searchChatMessages", "loadChats", "getContacts", "getSupergroupFullInfo", "openChat");
  private static final Pattern RETRY_AFTER = Pattern.compile("retry after (\\d+)");

  @TempDir
  Path dataDir;

  @Test
  void noSecondHoldsMoreThanTheGlobalOrPerChatRateAndNothingIsSentDuringAFloodWait() {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.tiny(21).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    // the server floods us at 8 requests/s, the node is allowed 12: flood waits come, and must be obeyed
    world.setServerLimit(8, 0);
    world.setTdlibTotalWaitLimit(Duration.ZERO);
    Map<String, Object> settings = TestNode.fast();
    settings.put("tg.sync.rate-limits.global-rps", 12);
    settings.put("tg.sync.rate-limits.per-chat-rps", 3);
    settings.put("tg.sync.rate-limits.flood-wait-multiplier", 1.0);
    settings.put("tg.sync.history-batch-size", 20);
    try (TestNode node = TestNode.start(dataDir, world, settings)) {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(node::enabledChatsComplete);
      List<RequestRecord> log = world.requestLog().stream().filter(r -> NETWORK.contains(r.type())).toList();
      assertThat(log).hasSizeGreaterThan(60);
      assertThat(log).as("chats opened under the budget").anyMatch(r -> r.type().equals("openChat"));

      assertThat(busiestSecond(log)).as("requests in any one second").isLessThanOrEqualTo(12);
      log.stream().filter(r -> r.chatId() != 0).collect(Collectors.groupingBy(RequestRecord::chatId))
          .forEach((chat, requests) -> assertThat(busiestSecond(requests))
              .as("requests for chat %d in any one second", chat).isLessThanOrEqualTo(3));

      List<RequestRecord> floods = log.stream().filter(r -> r.outcome().contains("429")).toList();
      assertThat(floods).as("flood waits met").isNotEmpty();
      for (RequestRecord flood : floods) {
        Matcher seconds = RETRY_AFTER.matcher(flood.outcome());
        assertThat(seconds.find()).isTrue();
        // the 429 travels back first: requests already on their way may still arrive for a moment
        Instant from = flood.sentAt().plusMillis(50);
        Instant until = flood.sentAt().plusSeconds(Long.parseLong(seconds.group(1)));
        assertThat(log).as("requests during the flood wait after %s", flood)
            .noneMatch(r -> r.sentAt().isAfter(from) && r.sentAt().isBefore(until));
      }
      assertThat(GroundTruth.problems(node, GroundTruth.chatsWhere(node, "sync_enabled = 1"), true)).isEmpty();
    }
  }

  @Test
  void underAServerLimitBelowItsOwnTheNodeShowsTheWaitsTdlibSitsOutSettlesAndCompletes() {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.tiny(22).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    world.setServerLimit(10, 0);
    Map<String, Object> settings = TestNode.fast();
    settings.put("tg.sync.rate-limits.global-rps", 20);
    settings.put("tg.sync.rate-limits.per-chat-rps", 5);
    settings.put("tg.sync.history-batch-size", 5);
    try (TestNode node = TestNode.start(dataDir, world, settings)) {
      List<JsonNode> waitsShown = new ArrayList<>();
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> {
            JsonNode slow = node.status().path("rate_limit_status").path("slow_request");
            if (slow.isObject()) {
              waitsShown.add(slow);
            }
            return node.enabledChatsComplete();
          });
      // TDLib sits the waits out (NetQueryDelayer) until a request's total reaches a minute: slow answers, shown
      assertThat(node.settings().sync().requestTimeout()).isGreaterThan(Duration.ofSeconds(60));
      assertThat(waitsShown).as("a wait TDLib sat out, in status").isNotEmpty().allSatisfy(slow -> {
        assertThat(slow.path("method").asText()).isNotEmpty();
        assertThat(slow.path("seconds").asLong()).isPositive();
      });
      assertThat(node.query("SELECT error_message FROM sync_jobs WHERE status = 'failed'")).as("failed jobs")
          .isEmpty();
      List<RequestRecord> log = world.requestLog().stream().filter(r -> NETWORK.contains(r.type())).toList();
      assertThat(log).as("answers after a wait TDLib sat out").anyMatch(r -> r.outcome().contains("flood"));
      Instant start = log.get(0).sentAt();
      Instant end = log.get(log.size() - 1).sentAt();
      Instant settled = start.plus(Duration.between(start, end).dividedBy(2));
      List<Instant> floods = floodStarts(log.stream()
          .filter(r -> r.outcome().contains("429") || r.outcome().contains("flood")).toList());
      assertThat(floods).as("the limit was found by flooding").isNotEmpty();
      long late = floods.stream().filter(began -> began.isAfter(settled)).count();
      assertThat(late).as("floods in the second half, of %s", floods).isLessThanOrEqualTo(1);
      assertThat(GroundTruth.problems(node, GroundTruth.chatsWhere(node, "sync_enabled = 1"), true)).isEmpty();
    }
  }

  /**
   * When each flood began: the requests one flood holds (TDLib sits the wait out for every request in flight) were
   * sent within a second of the one before.
   */
  static List<Instant> floodStarts(List<RequestRecord> flooded) {
    List<Instant> starts = new ArrayList<>();
    Instant last = Instant.MIN;
    for (Instant sent : flooded.stream().map(RequestRecord::sentAt).sorted().toList()) {
      if (sent.isAfter(last.plusSeconds(1))) {
        starts.add(sent);
      }
      last = sent;
    }
    return starts;
  }

  /** The most requests whose send times fall within one second of each other. */
  static int busiestSecond(List<RequestRecord> requests) {
    List<Instant> times = new ArrayList<>(requests.stream().map(RequestRecord::sentAt).sorted().toList());
    int busiest = 0;
    int first = 0;
    for (int last = 0; last < times.size(); last++) {
      while (!times.get(first).plusSeconds(1).isAfter(times.get(last))) {
        first++;
      }
      busiest = Math.max(busiest, last - first + 1);
    }
    return busiest;
  }
}
