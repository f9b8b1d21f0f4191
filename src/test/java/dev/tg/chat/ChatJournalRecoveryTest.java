package dev.tg.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import dev.tg.archive.Archive;
import dev.tg.archive.ArchiveLocation;
import dev.tg.archive.ArchiveStore;
import dev.tg.cluster.TestPostgres;
import dev.tg.config.DatabaseSettings;
import dev.tg.config.NodeSettings;
import dev.tg.node.JournalDatabase;
import dev.tg.node.TestNode;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import dev.tg.status.ChatProgress;
import dev.tg.status.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Chat actors move both cursors on the real journal, on SQLite and on PostgreSQL; a new actor system on the same
 * journal reads every chat back to the same state, also for chats whose state comes from a snapshot.
 */
class ChatJournalRecoveryTest {

  @TempDir
  Path dataDir;

  @ParameterizedTest
  @EnumSource(DatabaseSettings.Kind.class)
  void aNewActorSystemOnTheSameJournalRecoversEveryChatsCursors(DatabaseSettings.Kind store) {
    Map<String, Object> settings = TestNode.fast();
    if (store == DatabaseSettings.Kind.POSTGRES) {
      settings.putAll(TestPostgres.settings(TestPostgres.freshDatabase()));
    }
    settings.put("tg.sync.history-batch-size", 5);
    settings.put("tg.sync.snapshot-every", 4); // so that chats recover from snapshots too
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.tiny(5).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    List<Map<String, Object>> before;
    NodeSettings nodeSettings;
    Config config;
    try (TestNode node = TestNode.start(dataDir, world, settings)) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(node::enabledChatsComplete);
      before = node.query("SELECT chat_id, forward_cursor, backward_cursor, history_complete, synced_messages "
          + "FROM chat_sync_state WHERE account = 'demo' AND sync_enabled = 1");
      nodeSettings = node.settings();
      config = node.config();
    }
    long snapshotted = before.stream().filter(row -> !query(nodeSettings,
        "SELECT 1 FROM snapshot WHERE persistence_id = ?", "chat|demo|" + row.get("chat_id")).isEmpty()).count();
    assertThat(before).isNotEmpty();
    assertThat(snapshotted).as("chats recovered from a snapshot").isPositive();

    ActorTestKit testKit = ActorTestKit.create("recovery", JournalDatabase.prepare(config, nodeSettings));
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (Archive archive = new Archive(ArchiveStore.open(ArchiveLocation.of(nodeSettings)), writer)) {
      TestProbe<Chats.Command> parent = testKit.createTestProbe();
      TestProbe<Status.Command> status = testKit.createTestProbe();
      // no Telegram client: the recovered chats are never started
      ChatSync.Setup setup = new ChatSync.Setup(
          "demo", nodeSettings.sync(), null, archive, parent.getRef(), status.getRef());
      for (Map<String, Object> row : before) {
        long chatId = ((Number) row.get("chat_id")).longValue();
        ActorRef<ChatSync.Command> chat = testKit.spawn(ChatSync.create(chatId, setup));
        TestProbe<ChatProgress> progress = testKit.createTestProbe();
        chat.tell(new ChatSync.GetProgress(progress.getRef()));
        ChatProgress recovered = progress.receiveMessage();
        assertThat(recovered.forwardCursor()).isEqualTo(number(row.get("forward_cursor")));
        assertThat(recovered.backwardCursor()).isEqualTo(number(row.get("backward_cursor")));
        assertThat(recovered.historyComplete()).isTrue();
        assertThat(recovered.archivedMessages()).isEqualTo(number(row.get("synced_messages")));
        assertThat(recovered.forwardCursor()).isPositive();
      }
    } finally {
      testKit.shutdownTestKit();
      writer.shutdown();
    }
  }

  private static long number(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  private static List<Object> query(NodeSettings settings, String sql, String value) {
    try (var connection = TestNode.journal(settings);
        var statement = connection.prepareStatement(sql)) {
      statement.setString(1, value);
      try (var rows = statement.executeQuery()) {
        List<Object> result = new java.util.ArrayList<>();
        while (rows.next()) {
          result.add(rows.getObject(1));
        }
        return result;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
