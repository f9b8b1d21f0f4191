package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tg.simulator.ChatKind;
import dev.tg.simulator.RequestRecord;
import dev.tg.simulator.SimChat;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order of work, read from the simulator's request log. */
class PrioritiesTest {
  private static final Set<String> SYNC_TRAFFIC = Set.of("getChatHistory", "getChatMessageCount");

  @TempDir
  Path dataDir;

  @Test
  void p1HistoryBeforeP2DeepHistoryAndNothingForLargeChatsUntilAsked() {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.demo(3).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    Map<String, Object> settings = TestNode.fast();
    // the budget, not the chats, must be the bottleneck for priorities to show
    settings.put("tg.sync.rate-limits.global-rps", 50);
    settings.put("tg.sync.rate-limits.per-chat-rps", 100);
    try (TestNode node = TestNode.start(dataDir, world, settings)) {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(node::enabledChatsComplete);
      List<RequestRecord> log = history(world.requestLog());
      Map<Long, SimChat> chats = world.chats().stream().collect(Collectors.toMap(SimChat::id, chat -> chat));

      List<Long> large = chats.values().stream()
          .filter(chat -> chat.kind() == ChatKind.CHANNEL || chat.kind() == ChatKind.SUPERGROUP && chat.memberCount() > 100)
          .map(SimChat::id).toList();
      assertThat(large).isNotEmpty();
      assertThat(log).noneMatch(request -> large.contains(request.chatId()));

      // deep history of a medium group: a page older than its last 10 messages
      Map<Long, Long> tenthNewest = new HashMap<>();
      chats.values().stream().filter(PrioritiesTest::isMedium).forEach(chat -> tenthNewest.put(chat.id(),
          world.groundTruth(chat.id()).keySet().stream().sorted(java.util.Comparator.reverseOrder()).skip(9)
              .findFirst().orElse(0L)));
      List<Integer> deepMedium = new ArrayList<>();
      Map<Long, Integer> lastP1Request = new HashMap<>();
      for (int i = 0; i < log.size(); i++) {
        RequestRecord request = log.get(i);
        SimChat chat = chats.get(request.chatId());
        if (isMedium(chat) && request.type().equals("getChatHistory") && request.fromMessageId() != 0
            && request.fromMessageId() < tenthNewest.get(chat.id())) {
          deepMedium.add(i);
        }
        if (isHigh(chat)) {
          lastP1Request.put(chat.id(), i);
        }
      }
      List<Integer> p1Ends = new ArrayList<>(lastP1Request.values());
      p1Ends.sort(null);
      // once fewer P1 chats are left than the budget can serve, P2 may use the rest; before, P2 gets only the
      // moments when no P1 chat is waiting (each pages one request at a time: a busy CPU leaves such gaps); with no
      // priorities the eight medium groups would take about a quarter
      int stillContended = p1Ends.get(p1Ends.size() - 7);
      long deepWhileContended = deepMedium.stream().filter(i -> i <= stillContended).count();
      assertThat(deepWhileContended).as("P2 deep-history requests among the first %d", stillContended + 1)
          .isLessThanOrEqualTo((stillContended + 1) / 7);
      assertThat(deepMedium).as("P2 deep-history requests").hasSizeGreaterThan((int) deepWhileContended);

      long channel = large.get(0);
      Instant asked = Instant.now();
      assertThat(node.post("/chats/" + channel + "/sync").path("enabled").asBoolean()).isTrue();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> node.get("/chats/" + channel).path("state").asText().equals("complete"));
      assertThat(history(world.requestLog())).filteredOn(request -> request.chatId() == channel)
          .isNotEmpty().allMatch(request -> !request.sentAt().isBefore(asked));
      assertThat(GroundTruth.problems(node, List.of(channel), true)).isEmpty();
    }
  }

  @Test
  void afterARestartEveryChatCatchesUpBeforeAnyHistoryContinues() {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.demo(4).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    Map<String, Object> settings = TestNode.fast();
    settings.put("tg.sync.rate-limits.global-rps", 40);
    try (TestNode node = TestNode.start(dataDir, world, settings)) {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(() -> GroundTruth.chatsWhere(node, "backward_cursor IS NOT NULL AND history_complete = 0").size() >= 15);
      node.stop();
      Map<Long, Long> backwardCursors = new HashMap<>();
      for (Map<String, Object> row : node.query("SELECT chat_id, backward_cursor FROM chat_sync_state "
          + "WHERE backward_cursor IS NOT NULL AND history_complete = 0 AND sync_enabled = 1")) {
        backwardCursors.put(((Number) row.get("chat_id")).longValue(), ((Number) row.get("backward_cursor")).longValue());
      }
      // messages that arrive while the node is down
      List<Long> missed = new ArrayList<>();
      backwardCursors.keySet().stream().limit(5).forEach(chat -> missed.add(world.postMessage(chat, "while down")));
      world.clearRequestLog();
      node.restart();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> node.query(
          "SELECT count(*) AS n FROM messages WHERE text = 'while down'").get(0).get("n").equals(5));

      List<RequestRecord> log = history(world.requestLog());
      int lastCatchUpStart = -1;
      int firstHistory = Integer.MAX_VALUE;
      for (int i = 0; i < log.size(); i++) {
        RequestRecord request = log.get(i);
        Long backward = backwardCursors.get(request.chatId());
        if (backward == null) {
          continue;
        }
        if (request.fromMessageId() == 0) {
          lastCatchUpStart = Math.max(lastCatchUpStart, i);
        } else if (request.fromMessageId() == backward) {
          firstHistory = Math.min(firstHistory, i);
        }
      }
      assertThat(lastCatchUpStart).isNotNegative();
      assertThat(lastCatchUpStart).as("the last catch-up started before any history continued")
          .isLessThan(firstHistory);
    }
  }

  @Test
  void aMediumGroupShowsItsLastTenMessagesWithinSecondsBeforeDeepHistory() {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.demo(5).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    world.setRtt(Duration.ofMillis(20));
    // the shipped pacing: 20 requests/s, 3 in flight, 500 ms between a chat's batches
    try (TestNode node = TestNode.start(dataDir, world, Map.of())) {
      List<Long> medium = world.chats().stream().filter(PrioritiesTest::isMedium).map(SimChat::id).toList();
      assertThat(medium).isNotEmpty();
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> medium.stream()
          .allMatch(chat -> ((Number) node.query("SELECT count(*) AS n FROM messages WHERE chat_id = ?", chat)
              .get(0).get("n")).intValue() >= 10));
      var high = node.status().path("chats").path("by_priority").path("P1");
      assertThat(high.path("complete").asInt()).as("P1 chats complete by then")
          .isLessThan(high.path("total").asInt());
      for (long chat : medium) {
        long tenthNewest = world.groundTruth(chat).keySet().stream().sorted(java.util.Comparator.reverseOrder())
            .skip(9).findFirst().orElseThrow();
        assertThat(node.query("SELECT message_id FROM messages WHERE chat_id = ? AND message_id >= ?",
            chat, tenthNewest)).as("the last 10 messages of %d", chat).hasSize(10);
      }
    }
  }

  @Test
  void aMemberCountCrossingAThresholdMovesTheChatToItsNewTier() {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.tiny(6).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    try (TestNode node = TestNode.start(dataDir, world, TestNode.fast())) {
      long group = world.chats().stream()
          .filter(chat -> chat.kind() == ChatKind.BASIC_GROUP && chat.upgradeLinkedChatId() == 0)
          .map(SimChat::id).findFirst().orElseThrow();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> node.get("/chats/" + group).path("progress").path("priority").asText().equals("P1"));
      world.setMemberCount(group, 60);
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> node.get("/chats/" + group).path("progress").path("priority").asText().equals("P2"));
      world.setMemberCount(group, 500);
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> !node.get("/chats/" + group).path("progress").path("enabled").asBoolean());
      assertThat(node.get("/chats/" + group).path("progress").path("priority").asText()).isEqualTo("P3");
    }
  }

  static List<RequestRecord> history(List<RequestRecord> log) {
    return log.stream().filter(request -> SYNC_TRAFFIC.contains(request.type())).toList();
  }

  private static boolean isMedium(SimChat chat) {
    return chat.kind() == ChatKind.SUPERGROUP && chat.memberCount() >= 20 && chat.memberCount() <= 100;
  }

  private static boolean isHigh(SimChat chat) {
    return switch (chat.kind()) {
      case PRIVATE -> true;
      case BASIC_GROUP, SUPERGROUP -> chat.memberCount() < 20;
      default -> false;
    };
  }
}
