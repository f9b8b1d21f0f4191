package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.cli.Cli;
import dev.tg.simulator.ChatKind;
import dev.tg.simulator.SimChat;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive fills up during backfill, with live messages arriving (SQLite's {@code max_page_count} on the node's
 * own connection: what a full disk looks like to SQLite, on any machine): history pauses with no restart loop,
 * status says why, and once there is room the node resumes by itself with nothing lost or stored twice.
 */
class DiskFullTest {

  @TempDir
  Path dir;

  @Test
  void aFullArchivePausesHistorySaysWhyAndResumesByItselfLosingNothing() throws Exception {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.tiny(23).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    Map<String, Object> settings = TestNode.fast();
    settings.put("tg.sync.history-batch-size", 10);
    settings.put("tg.sync.history-batch-interval", "50ms");
    settings.put("tg.storage.check-interval", "200ms");
    settings.put("tg.storage.min-free-space", "64KiB");
    long live = world.chats().stream().filter(chat -> chat.kind() == ChatKind.PRIVATE).map(SimChat::id)
        .findFirst().orElseThrow();
    try (TestNode node = TestNode.start(dir.resolve("data"), world, settings)) {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> node.status().path("synced_messages").asLong() > 0);
      assertThat(node.enabledChatsComplete()).as("the archive fills during backfill").isFalse();
      // no room beyond the pages the archive has now; the write that sets the cap may share its group with a
      // read-model write that no longer fits, and fail with it: the cap stays (a new connection gets it again)
      node.archive().write(store -> {
        store.limitPages(1);
        return null;
      }).exceptionally(full -> null).toCompletableFuture().join();

      AtomicInteger posted = new AtomicInteger();
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
        world.postMessage(live, "while the disk is full " + posted.incrementAndGet());
        return storage(node).path("state").asText().equals("full");
      });
      JsonNode full = storage(node);
      assertThat(full.path("paused").asBoolean()).isTrue();
      assertThat(full.path("problem").asText()).contains("archive.db", "database or disk is full");
      assertThat(node.status().path("accounts").get(0).path("storage").path("state").asText()).isEqualTo("full");

      // a while paused: measured again and again, with no request for history meanwhile
      long historyAtPause = historyRequests(world);
      Instant since = Instant.parse(full.path("since").asText());
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
          Instant.parse(storage(node).path("checked_at").asText()).isAfter(since.plusSeconds(2)));
      int enabled = node.status().path("chats").path("sync_enabled").asInt();
      assertThat(historyRequests(world) - historyAtPause)
          .as("history requests while paused: at most one already queued per chat").isLessThanOrEqualTo(enabled);
      assertThat(node.status().path("accounts").get(0).path("chat_restarts").asInt())
          .as("a full disk restarts no chat").isZero();
      Cli cli = Cli.of(dir, node.dataDir(), node.settings().httpPort(), Files.createDirectories(dir.resolve("conf")));
      assertThat(cli.run("status").out()).contains("FULL: history paused").contains("database or disk is full");

      // room again: the node resumes by itself
      node.archive().write(store -> {
        store.limitPages(1_000_000_000);
        return null;
      }).toCompletableFuture().join();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
          .until(() -> !storage(node).path("paused").asBoolean());
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(node::enabledChatsComplete);

      var synced = GroundTruth.chatsWhere(node, "sync_enabled = 1 AND access = 'active'");
      assertThat(synced).contains(live);
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
          assertThat(GroundTruth.problems(node, synced, true)).isEmpty());
      assertThat(node.query("SELECT count(*) AS n FROM messages WHERE chat_id = ? AND text LIKE 'while the disk%'",
          live).get(0).get("n")).as("every live message posted while full").isEqualTo(posted.get());
    }
  }

  private static JsonNode storage(TestNode node) {
    return node.status().path("storage");
  }

  private static long historyRequests(SimulatedTelegram world) {
    return world.requestLog().stream().filter(request -> request.type().equals("getChatHistory")).count();
  }
}
