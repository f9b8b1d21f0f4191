package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tg.simulator.ChatKind;
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

/**
 * Issue 9, item 9: the basic group a supergroup was upgraded from is in no chat list, yet its history is archived,
 * and a restart in the middle of it does not lose the group (only its own journal remembers it).
 */
class UpgradedGroupTest {

  @TempDir
  Path dataDir;

  @Test
  void theHistoryOfTheGroupBeforeItsUpgradeIsArchivedThoughARestartCameInTheMiddle() {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.tiny(44).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    SimChat before = world.chats().stream()
        .filter(chat -> chat.kind() == ChatKind.BASIC_GROUP && chat.upgradeLinkedChatId() != 0)
        .findFirst().orElseThrow();
    assertThat(before.list()).isEqualTo(SimChat.ChatList.NONE);
    Map<String, Object> slow = TestNode.fast();
    slow.put("tg.sync.rate-limits.global-rps", 10);
    slow.put("tg.sync.history-batch-size", 20);
    try (TestNode node = TestNode.start(dataDir, world, slow)) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> !node.query(
          "SELECT 1 FROM chat_sync_state WHERE chat_id = ? AND history_complete = 0", before.id()).isEmpty());
      node.stop();
      assertThat(node.query("SELECT history_complete FROM chat_sync_state WHERE chat_id = ?", before.id()))
          .extracting(row -> ((Number) row.get("history_complete")).intValue()).containsExactly(0);

      node.restart();
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> node.get("/chats/" + before.id()).path("state").asText().equals("complete"));
      assertThat(GroundTruth.problems(node, List.of(before.id()), true)).isEmpty();
      assertThat(node.query("SELECT upgraded_to_chat_id FROM chats WHERE chat_id = ?", before.id()))
          .extracting(row -> ((Number) row.get("upgraded_to_chat_id")).longValue())
          .containsExactly(before.upgradeLinkedChatId());
    }
  }
}
