package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tg.simulator.ChatKind;
import dev.tg.simulator.FaultProfile;
import dev.tg.simulator.SimChat;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live message beyond a gap is stored at once, but the forward cursor waits until the gap is filled. */
class GapTest {

  @TempDir
  Path dataDir;

  @Test
  void theForwardCursorNeverPassesAGapEvenAcrossARestart() {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.tiny(31).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    Map<String, Object> settings = TestNode.fast();
    settings.put("tg.sync.request-timeout", "300ms");
    settings.put("tg.sync.rate-limits.retry-backoff-max", "1s");
    try (TestNode node = TestNode.start(dataDir, world, settings)) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(node::enabledChatsComplete);
      long chat = world.chats().stream()
          .filter(c -> c.kind() == ChatKind.SUPERGROUP && c.memberCount() >= 20 && c.memberCount() <= 100)
          .map(SimChat::id).findFirst().orElseThrow();
      long cursorBefore = forwardCursor(node, chat);

      // catch-up cannot reach Telegram; TDLib skips 5 messages silently, then a live one arrives beyond them
      world.setFaults(new FaultProfile(1.0, 0, 1));
      List<Long> skipped = world.skipUpdates(chat, 5);
      long beyond = world.postMessage(chat, "beyond the gap");
      await().atMost(Duration.ofSeconds(10)).until(() -> !node.query(
          "SELECT 1 FROM messages WHERE chat_id = ? AND message_id = ?", chat, beyond).isEmpty());
      // the node dies with the live message stored and the gap still open
      node.stop();
      long cursorAtDeath = forwardCursor(node, chat);
      assertThat(cursorAtDeath).as("cursor at death").isEqualTo(cursorBefore).isLessThan(skipped.get(0));
      assertThat(node.query("SELECT 1 FROM messages WHERE chat_id = ? AND message_id = ?", chat, skipped.get(0)))
          .as("the gap is not archived yet").isEmpty();

      world.setFaults(FaultProfile.NONE);
      node.restart();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> forwardCursor(node, chat) == beyond);
      assertThat(GroundTruth.problems(node, List.of(chat), true)).isEmpty();
    }
  }

  @Test
  void afterAnOutageTheNodeCatchesUpWhatTdlibSkipped() {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.tiny(32).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    try (TestNode node = TestNode.start(dataDir, world, TestNode.fast())) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(node::enabledChatsComplete);
      List<Long> synced = GroundTruth.chatsWhere(node, "sync_enabled = 1 AND access = 'active'");
      world.outage(Duration.ofMillis(500));
      // chats the account can post in (not an upgraded-away group)
      List<Long> open = synced.stream().filter(chat -> world.chats().stream()
          .anyMatch(c -> c.id() == chat && c.upgradeLinkedChatId() == 0 || c.id() == chat && c.kind() != ChatKind.BASIC_GROUP))
          .toList();
      List<Long> missed = open.stream().map(chat -> world.postMessage(chat, "during the outage")).toList();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> ((Number) node.query(
          "SELECT count(*) AS n FROM messages WHERE text = 'during the outage'").get(0).get("n")).intValue()
          == missed.size());
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> open.stream().allMatch(chat -> missed.contains(forwardCursor(node, chat))));
      assertThat(GroundTruth.problems(node, synced, true)).isEmpty();
    }
  }

  private static long forwardCursor(TestNode node, long chat) {
    Object cursor = node.query("SELECT forward_cursor FROM chat_sync_state WHERE chat_id = ?", chat).get(0)
        .get("forward_cursor");
    return cursor == null ? 0 : ((Number) cursor).longValue();
  }
}
