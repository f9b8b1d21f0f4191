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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With faults on (timeouts, 5xx, flood waits, a chat turning inaccessible, one deleted, live traffic with edits
 * and deletions), every enabled chat ends complete, each message archived once, edits with their versions and
 * deletions marked.
 */
class FaultsTest {

  @TempDir
  Path dataDir;

  @Test
  void everyEnabledChatEndsCompleteAndExactUnderFaults() throws Exception {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.tiny(41).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    world.setFaults(new FaultProfile(0.05, 0.02, 41));
    world.setServerLimit(25, 0);
    world.setTdlibTotalWaitLimit(Duration.ofSeconds(1));
    Map<String, Object> settings = TestNode.fast();
    settings.put("tg.sync.rate-limits.global-rps", 40);
    settings.put("tg.sync.rate-limits.flood-wait-multiplier", 1.0);
    settings.put("tg.sync.history-batch-size", 5); // enough requests for every kind of fault to happen
    settings.put("tg.sync.request-timeout", "300ms");
    settings.put("tg.sync.rate-limits.retry-backoff-min", "20ms");
    settings.put("tg.sync.rate-limits.retry-backoff-max", "500ms");
    List<SimChat> dms = world.chats().stream().filter(chat -> chat.kind() == ChatKind.PRIVATE).toList();
    long lostAccess = dms.get(0).id();
    long deleted = dms.get(1).id();
    long live = dms.get(2).id();
    try (TestNode node = TestNode.start(dataDir, world, settings)) {
      world.makeInaccessible(lostAccess);
      world.deleteChat(deleted);

      // a message archived, then edited twice, and one archived, then deleted
      long edited = world.postMessage(live, "first words");
      long removed = world.postMessage(live, "soon gone");
      await().atMost(Duration.ofSeconds(20)).until(() -> archived(node, live, edited) && archived(node, live, removed));
      world.editMessage(live, edited, "second words");
      world.editMessage(live, edited, "last words");
      world.deleteMessages(live, removed);
      // TDLib unloading its cache is no deletion: the message must stay unmarked
      world.unloadFromCache(live, edited);

      // live traffic with edits and deletions while history is still being fetched
      Random random = new Random(41);
      long group = world.chats().stream()
          .filter(chat -> chat.kind() == ChatKind.BASIC_GROUP && chat.upgradeLinkedChatId() == 0)
          .map(SimChat::id).findFirst().orElseThrow();
      List<Long> chatsWithTraffic = List.of(live, group);
      for (int i = 0; i < 60; i++) {
        long chat = chatsWithTraffic.get(random.nextInt(chatsWithTraffic.size()));
        long id = world.postMessage(chat, "live " + i);
        if (i % 7 == 0) {
          world.editMessage(chat, id, "live " + i + " edited");
        }
        if (i % 11 == 0) {
          world.deleteMessages(chat, id);
        }
        Thread.sleep(20);
      }

      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(node::enabledChatsComplete);
      List<Long> synced = GroundTruth.chatsWhere(node, "sync_enabled = 1 AND access = 'active'");
      assertThat(synced).contains(live).doesNotContain(lostAccess, deleted);
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
          assertThat(GroundTruth.problems(node, synced, true)).isEmpty());

      assertThat(node.query("SELECT text FROM message_versions WHERE chat_id = ? AND message_id = ? "
          + "ORDER BY version", live, edited)).extracting(row -> row.get("text"))
          .containsExactly("first words", "second words");
      assertThat(node.query("SELECT text, deleted FROM messages WHERE chat_id = ? AND message_id = ?",
          live, removed)).singleElement().satisfies(row -> assertThat(row.get("deleted")).isEqualTo(1));
      assertThat(access(node, lostAccess)).isEqualTo("inaccessible");
      // TDLib keeps every chat it announced: a deleted chat leaves every list, it is not "not found"
      assertThat(access(node, deleted)).isEqualTo("left");
      assertThat(node.query("SELECT error_message FROM sync_jobs WHERE chat_id = ? AND status = 'failed'",
          lostAccess)).isNotEmpty();
      assertThat(world.requestLog()).as("faults really happened")
          .anyMatch(request -> request.outcome().equals("timeout"))
          .anyMatch(request -> request.outcome().startsWith("error 500"))
          .anyMatch(request -> request.outcome().contains("flood"));
    }
  }

  private static boolean archived(TestNode node, long chat, long message) {
    return !node.query("SELECT 1 FROM messages WHERE chat_id = ? AND message_id = ?", chat, message).isEmpty();
  }

  private static String access(TestNode node, long chat) {
    return (String) node.query("SELECT access FROM chat_sync_state WHERE chat_id = ?", chat).get(0).get("access");
  }
}
