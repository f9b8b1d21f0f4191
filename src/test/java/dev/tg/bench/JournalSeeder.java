package dev.tg.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.tg.chat.ChatPolicy;
import dev.tg.chat.ChatState;
import dev.tg.chat.ChatSync;
import dev.tg.config.SyncSettings;
import dev.tg.node.JournalDatabase;
import dev.tg.simulator.SimChat;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.telegram.TdChat;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * Writes a journal as a node that has synced every chat of a world would have left it: per private chat, 100
 * events (described, initial load, 97 history batches, history complete) and, optionally, the snapshot the chat
 * actor takes at its 100th event. Rows go in with plain JDBC, serialized by Pekko's own serialization, so that
 * seeding 10,000 chats takes seconds instead of the minutes of persisting through actors.
 */
final class JournalSeeder {
  static final int EVENTS_PER_CHAT = 100;

  private JournalSeeder() {}

  /** Seeds {@code journalFile}; returns the number of chats written. */
  static int seed(Config nodeConfig, Path journalFile, SimulatedTelegram world, boolean snapshots) throws Exception {
    JournalDatabase.prepare(journalFile);
    SyncSettings.Priorities priorities = SyncSettings.from(nodeConfig.getConfig("tg")).priorities();
    ActorSystem system = ActorSystem.create("tg-seed", ConfigFactory.empty().withFallback(nodeConfig
        .withValue("pekko.loglevel", ConfigValueFactory.fromAnyRef("WARNING"))));
    int chats = 0;
    try (Connection connection = DriverManager.getConnection(JournalDatabase.url(journalFile))) {
      connection.setAutoCommit(false);
      Serialization serialization = SerializationExtension.get(system);
      String writer = UUID.randomUUID().toString();
      Instant at = Instant.now();
      try (PreparedStatement event = connection.prepareStatement(
              "INSERT INTO event_journal (persistence_id, sequence_number, deleted, writer, write_timestamp, "
                  + "adapter_manifest, event_ser_id, event_ser_manifest, event_payload) VALUES (?, ?, 0, ?, ?, '', ?, ?, ?)");
          PreparedStatement snapshot = connection.prepareStatement(
              "INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot_ser_id, "
                  + "snapshot_ser_manifest, snapshot_payload) VALUES (?, ?, ?, ?, ?, ?)")) {
        for (SimChat chat : world.chats()) {
          if (chat.kind() != dev.tg.simulator.ChatKind.PRIVATE) {
            continue;
          }
          List<Long> ids = new ArrayList<>(world.groundTruth(chat.id()).keySet());
          ChatPolicy policy = ChatPolicy.decide(TdChat.ChatKind.PRIVATE, 2, false, priorities);
          List<ChatSync.Event> events = new ArrayList<>();
          int last = ids.size() - 1;
          events.add(new ChatSync.ChatDescribed(chat.title(), policy, 0, at));
          events.add(new ChatSync.InitialLoadStored(ids.get(last), ids.get(last - 1), 2, at));
          for (int i = last - 2; i >= 0 && events.size() < EVENTS_PER_CHAT - 1; i--) {
            events.add(new ChatSync.HistoryBatchStored(ids.get(i), ids.size() - i, at));
          }
          events.add(new ChatSync.HistoryCompleted(ids.size(), at));
          String persistenceId = ChatSync.persistenceIdPrefix(BenchNode.ACCOUNT) + chat.id();
          for (int seq = 1; seq <= events.size(); seq++) {
            Object payload = events.get(seq - 1);
            Serializer serializer = serialization.findSerializerFor(payload);
            event.setString(1, persistenceId);
            event.setLong(2, seq);
            event.setString(3, writer);
            event.setLong(4, at.toEpochMilli());
            event.setInt(5, serializer.identifier());
            event.setString(6, Serializers.manifestFor(serializer, payload));
            event.setBytes(7, serializer.toBinary(payload));
            event.addBatch();
          }
          if (snapshots) {
            ChatState state = new ChatState(chat.title(), policy, 0, 0, ids.get(last), ids.get(0), true, true,
                ids.size(), ids.size(), ChatState.Access.ACTIVE, false, at, at);
            Serializer serializer = serialization.findSerializerFor(state);
            snapshot.setString(1, persistenceId);
            snapshot.setLong(2, events.size());
            snapshot.setLong(3, at.toEpochMilli());
            snapshot.setInt(4, serializer.identifier());
            snapshot.setString(5, Serializers.manifestFor(serializer, state));
            snapshot.setBytes(6, serializer.toBinary(state));
            snapshot.addBatch();
          }
          if (++chats % 500 == 0) {
            flush(connection, event, snapshot);
          }
        }
        flush(connection, event, snapshot);
      }
    } finally {
      system.terminate();
      scala.concurrent.Await.ready(system.whenTerminated(), scala.concurrent.duration.Duration.Inf());
    }
    return chats;
  }

  private static void flush(Connection connection, PreparedStatement event, PreparedStatement snapshot)
      throws SQLException {
    event.executeBatch();
    snapshot.executeBatch();
    connection.commit();
  }
}
