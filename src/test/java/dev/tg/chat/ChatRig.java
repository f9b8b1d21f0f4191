package dev.tg.chat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.tg.archive.Archive;
import dev.tg.archive.ArchiveStore;
import dev.tg.config.SyncSettings;
import dev.tg.config.TgConfig;
import dev.tg.node.JournalDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * What a test class of chat actors shares: an actor system on a real SQLite journal, a real archive whose writer
 * the test can hold back, and settings that never wait for a timer longer than needed.
 */
final class ChatRig implements AutoCloseable {
  private static final AtomicInteger ACCOUNTS = new AtomicInteger();

  final ActorTestKit testKit;
  final Path journalFile;
  final Path archiveFile;
  final Archive archive;
  final GatedExecutor writer;
  final SyncSettings settings;

  private ChatRig(ActorTestKit testKit, Path journalFile, Path archiveFile, Archive archive, GatedExecutor writer,
      SyncSettings settings) {
    this.testKit = testKit;
    this.journalFile = journalFile;
    this.archiveFile = archiveFile;
    this.archive = archive;
    this.writer = writer;
    this.settings = settings;
  }

  static ChatRig start(Path dir, Map<String, Object> overrides) {
    Path journal = dir.resolve("journal.db");
    Path archiveFile = dir.resolve("archive.db");
    JournalDatabase.prepare(journal);
    Config config = TgConfig.load(null)
        .withValue("pekko-persistence-jdbc.shared-databases.tg.db.url",
            ConfigValueFactory.fromAnyRef(JournalDatabase.url(journal)))
        // a locked journal fails a write quickly, so that a test can force a journal failure
        .withValue("pekko-persistence-jdbc.shared-databases.tg.db.properties.busy_timeout",
            ConfigValueFactory.fromAnyRef("20"))
        // forced journal failures must not open the journal's circuit breaker for the rest of the class
        .withValue("jdbc-journal.circuit-breaker.max-failures", ConfigValueFactory.fromAnyRef(1_000_000))
        .withValue("tg.sync.history-batch-interval", ConfigValueFactory.fromAnyRef("0ms"))
        .withValue("tg.sync.rate-limits.retry-backoff-min", ConfigValueFactory.fromAnyRef("1ms"))
        .withValue("tg.sync.rate-limits.retry-backoff-max", ConfigValueFactory.fromAnyRef("10ms"))
        .withValue("tg.sync.request-timeout", ConfigValueFactory.fromAnyRef("1h"))
        .withValue("tg.sync.restart-backoff-min", ConfigValueFactory.fromAnyRef("10ms"))
        .withValue("tg.sync.restart-backoff-max", ConfigValueFactory.fromAnyRef("100ms"));
    for (Map.Entry<String, Object> override : overrides.entrySet()) {
      config = config.withValue(override.getKey(), ConfigValueFactory.fromAnyRef(override.getValue()));
    }
    GatedExecutor writer = new GatedExecutor();
    Archive archive = new Archive(ArchiveStore.open(archiveFile), writer);
    ActorTestKit testKit = ActorTestKit.create("chat-rig", ConfigFactory.empty().withFallback(config));
    return new ChatRig(testKit, journal, archiveFile, archive, writer, SyncSettings.from(config.getConfig("tg")));
  }

  /** A scenario with a chat of its own, under an account name no other scenario uses. */
  ChatScenario scenario(long chatId, int history) {
    return new ChatScenario(this, "t" + ACCOUNTS.incrementAndGet(), new ModelChat(chatId, history));
  }

  /** Holds SQLite's write lock on the journal until closed: every journal write meanwhile fails. */
  AutoCloseable lockJournal() {
    try {
      Connection connection = DriverManager.getConnection(JournalDatabase.url(journalFile));
      try (Statement statement = connection.createStatement()) {
        statement.execute("BEGIN EXCLUSIVE");
      }
      return () -> {
        try (Statement statement = connection.createStatement()) {
          statement.execute("COMMIT");
        }
        connection.close();
      };
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    writer.resume();
    testKit.shutdownTestKit();
    archive.close();
    writer.shutdown();
  }

  /** The archive's writer thread, which a test can hold back to keep writes in flight. */
  static final class GatedExecutor implements java.util.concurrent.Executor {
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final List<Runnable> held = new ArrayList<>();
    private boolean paused;

    @Override
    public synchronized void execute(Runnable task) {
      if (paused) {
        held.add(task);
      } else {
        thread.execute(task);
      }
    }

    synchronized void pause() {
      paused = true;
    }

    synchronized void resume() {
      paused = false;
      held.forEach(thread::execute);
      held.clear();
    }

    synchronized boolean holding() {
      return !held.isEmpty();
    }

    void shutdown() {
      thread.shutdown();
    }
  }
}
