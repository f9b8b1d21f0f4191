package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo world's DMs and small groups, fully synced: every message of the world archived exactly once. */
class NothingLostTest {

  @TempDir
  Path dataDir;

  @Test
  void everyMessageOfTheDemoWorldsDmsAndSmallGroupsIsArchivedExactlyOnce() {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.demo(7).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    try (TestNode node = TestNode.start(dataDir, world, TestNode.fast())) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
        var high = node.status().path("chats").path("by_priority").path("P1");
        return high.path("total").asInt() > 0 && high.path("complete").asInt() == high.path("total").asInt();
      });
      List<Long> fullySynced = GroundTruth.chatsWhere(node, "sync_priority = 1");
      long expectedChats = world.chats().stream()
          .filter(chat -> switch (chat.kind()) {
            case PRIVATE -> true;
            case BASIC_GROUP, SUPERGROUP -> chat.memberCount() < 20;
            default -> false;
          })
          .count();
      assertThat(fullySynced).hasSize((int) expectedChats);
      assertThat(GroundTruth.problems(node, fullySynced, true)).isEmpty();
      long archived = node.query("SELECT count(*) AS n FROM messages WHERE chat_id IN (SELECT chat_id FROM "
          + "chat_sync_state WHERE sync_priority = 1)").get(0).values().stream()
          .mapToLong(n -> ((Number) n).longValue()).sum();
      long truth = fullySynced.stream().mapToLong(id -> world.groundTruth(id).size()).sum();
      assertThat(archived).isEqualTo(truth).isGreaterThan(1000);

      node.stop();
      assertThat(world.requestLog()).as("the TDLib client is closed when the node stops")
          .anyMatch(request -> request.type().equals("close"));
    }
  }
}
