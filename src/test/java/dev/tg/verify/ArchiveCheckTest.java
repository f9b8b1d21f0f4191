package dev.tg.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import dev.tg.chat.ChatSync;
import dev.tg.config.NodeSettings;
import dev.tg.config.TgConfig;
import dev.tg.node.NodeLauncher;
import dev.tg.node.TestNode;
import dev.tg.simulator.ChatKind;
import dev.tg.simulator.SimChat;
import dev.tg.simulator.SimulatedTelegram;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash checker counts what the node never took up: a chat of the account without a journal is a whole
 * history lost without a missing message to show for it (the basic group a supergroup was upgraded from, found
 * only through the supergroup, was lost so).
 */
class ArchiveCheckTest {

  @TempDir
  Path dir;

  @Test
  void theGroupASupergroupWasUpgradedFromWithoutAJournalIsCounted() throws Exception {
    int port = TestNode.freePort();
    Path file = DemoNodeProcess.writeConfig(dir.resolve("tg.conf"), dir.resolve("data"), dir.resolve("config"), port,
        "demo { seed = 5, world = \"tiny\", live-messages-per-second = 0, rtt = 1ms, accounts = 1 }");
    DemoNodeProcess node = DemoNodeProcess.start(file, port, dir.resolve("node.log"));
    try {
      BackupRestoreTest.waitUntilSettled(node);
      assertThat(node.stop(Duration.ofSeconds(30))).isZero();
    } finally {
      node.destroy();
    }
    Instant stoppedAt = Instant.now();
    Config config = TgConfig.load(file);
    assertThat(ArchiveCheck.check(config, stoppedAt).failures()).as("the node as it ran").isZero();

    NodeSettings settings = NodeSettings.from(config);
    long predecessor = predecessor(settings);
    String persistenceId = ChatSync.persistenceIdPrefix(NodeLauncher.DEMO_ACCOUNT) + predecessor;
    assertThat(forget(settings.journalFile(), "DELETE FROM event_journal WHERE persistence_id = ?", persistenceId))
        .as("the group's events").isPositive();
    forget(settings.journalFile(), "DELETE FROM snapshot WHERE persistence_id = ?", persistenceId);
    assertThat(forget(settings.archiveFile(), "DELETE FROM chat_sync_state WHERE chat_id = ?", predecessor))
        .as("the group's read model").isOne();
    ArchiveCheck.Report report = ArchiveCheck.check(config, stoppedAt);

    assertThat(report.chatsNotTakenUp()).isEqualTo(1);
    assertThat(report.failures()).isEqualTo(1);
    assertThat(report.details()).contains("chat " + predecessor + " of demo has no journal: the node never took it up");
  }

  private static long predecessor(NodeSettings settings) {
    SimulatedTelegram world = NodeLauncher.demoWorld(settings, NodeLauncher.DEMO_ACCOUNT, settings.demo().seed());
    try {
      return world.chats().stream()
          .filter(chat -> chat.kind() == ChatKind.BASIC_GROUP && chat.upgradeLinkedChatId() != 0
              && chat.list() == SimChat.ChatList.NONE)
          .findFirst().orElseThrow().id();
    } finally {
      world.close();
    }
  }

  /** Deletes the rows of {@code key}; answers how many. */
  private static int forget(Path database, String sql, Object key) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        PreparedStatement delete = connection.prepareStatement(sql)) {
      delete.setObject(1, key);
      return delete.executeUpdate();
    }
  }
}
