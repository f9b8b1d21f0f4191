package dev.tg.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.tg.config.TgConfig;
import dev.tg.scheduler.Priority;
import dev.tg.telegram.TdChat.ChatKind;
import java.time.Instant;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Snapshots written by an earlier version, before {@code ChatState} had a field, still load: the field is 0. */
class ChatStateCompatibilityTest {
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
  private static ActorSystem system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create("compatibility", TgConfig.load(null));
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void aSnapshotWithoutTheGroupASupergroupWasUpgradedFromLoads() throws Exception {
    Instant at = Instant.parse("2026-12-01T10:00:00Z");
    ChatState state = new ChatState("a group", new ChatPolicy(ChatKind.SUPERGROUP, 12, Priority.P1, true), 0, 111,
        4_194_304, 1_048_576, true, false, 3, 3, ChatState.Access.ACTIVE, false, at, at);
    Serialization serialization = SerializationExtension.get(system);
    Serializer serializer = serialization.findSerializerFor(state);
    ObjectNode written = (ObjectNode) CBOR.readTree(serializer.toBinary(state));
    assertThat(written.remove("upgradedFromBasicGroupId")).as("the field as written today").isNotNull();

    ChatState read = (ChatState) serialization.deserialize(CBOR.writeValueAsBytes(written), serializer.identifier(),
        Serializers.manifestFor(serializer, state)).get();

    assertThat(read.upgradedFromBasicGroupId()).isZero();
    assertThat(read).usingRecursiveComparison().ignoringFields("upgradedFromBasicGroupId").isEqualTo(state);
  }
}
