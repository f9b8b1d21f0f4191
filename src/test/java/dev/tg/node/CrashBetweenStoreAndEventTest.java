package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.tg.chat.ChatSync;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.StorageFailure;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal fails right after a history batch is stored in the archive, before its cursor event is written:
 * the chat actor dies there, restarts from its last event, fetches the batch again, and the archive ends with
 * every message exactly once. The only stand-in is the journal, whose failure the test injects.
 */
class CrashBetweenStoreAndEventTest {

  @TempDir
  Path dataDir;

  /** Fails the {@code nth} write of a history batch event, once, for every chat. */
  private static final class FailHistoryBatchWrite implements ProcessingPolicy<JournalOperation> {
    private final int nth;
    private final AtomicInteger batchWrites = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();

    FailHistoryBatchWrite(int nth) {
      this.nth = nth;
    }

    @Override
    public ProcessingResult tryProcess(String persistenceId, JournalOperation operation) {
      if (operation instanceof WriteEvents write
          && write.getBatch().stream().anyMatch(ChatSync.HistoryBatchStored.class::isInstance)
          && batchWrites.incrementAndGet() % nth == 0) {
        failures.incrementAndGet();
        return StorageFailure.create(new IllegalStateException("the node died here"));
      }
      return ProcessingSuccess.getInstance();
    }
  }

  @Test
  void aBatchStoredWithoutItsCursorEventIsFetchedAgainAndArchivedOnce() {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.tiny(11).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    Map<String, Object> settings = TestNode.fast();
    settings.put("tg.sync.history-batch-size", 7);
    var journalInMemory = ConfigFactory.parseString(
            "pekko.persistence.journal.plugin = \"pekko.persistence.testkit.journal\"")
        .withFallback(PersistenceTestKitPlugin.config());
    try (TestNode node = TestNode.start(dataDir, world, settings, journalInMemory)) {
      FailHistoryBatchWrite policy = new FailHistoryBatchWrite(5);
      PersistenceTestKit.create(node.system()).withPolicy(policy);

      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(node::enabledChatsComplete);

      assertThat(policy.failures.get()).as("journal writes that failed after their batch was stored")
          .isGreaterThanOrEqualTo(3);
      var synced = GroundTruth.chatsWhere(node, "sync_enabled = 1 AND access = 'active'");
      assertThat(synced).isNotEmpty();
      assertThat(GroundTruth.problems(node, synced, true)).isEmpty();
      long archived = ((Number) node.query("SELECT count(*) AS n FROM messages").get(0).get("n")).longValue();
      long counted = ((Number) node.query("SELECT sum(archived) AS n FROM chat_message_counts").get(0).get("n"))
          .longValue();
      assertThat(counted).as("the archive's own count matches its rows").isEqualTo(archived);
    }
  }
}
