package dev.tg.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.telegram.TdChat.ChatKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chat recovered from the journal on a TDLib instance that does not know it yet (a new instance keeps no chat
 * without its message database: {@code MessagesManager::get_dialog_force}) is answered "Chat not found". That is no
 * deletion: the chat is made known to TDLib, or waits until TDLib announces it, and its history goes on.
 */
class ChatNotFoundTest {
  private static final long BASIC_GROUP_CHAT = -900_001_921L;

  @TempDir static Path dir;
  private static ChatRig rig;

  @BeforeAll
  static void start() {
    rig = ChatRig.start(dir, Map.of());
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void aRecoveredChatThatTdlibDoesNotKnowIsMadeKnownAndCatchesUp() {
    try (ChatScenario chat = recoveredOnAFreshInstance(BASIC_GROUP_CHAT)) {
      long whileDown = chat.world.post("while the node was down");
      chat.start();
      chat.td.fail(Drive.until(chat, Drive::isHistory), 400, "Chat not found");

      ObjectNode create = chat.request("createBasicGroupChat");
      assertThat(create.path("basic_group_id").asLong()).isEqualTo(-BASIC_GROUP_CHAT);
      assertThat(create.path("force").asBoolean()).isTrue();
      chat.td.answer(create, chatObject(BASIC_GROUP_CHAT));
      Drive.settle(chat);

      assertThat(chat.progress().access()).isEqualTo("active");
      assertThat(chat.progress().historyComplete()).isTrue();
      assertThat(chat.archived()).containsKey(whileDown);
      assertThat(chat.holes()).isEmpty();
    }
  }

  @Test
  void aChatTdlibHasNoInfoOnWaitsUntilTdlibAnnouncesIt() {
    try (ChatScenario chat = recoveredOnAFreshInstance(BASIC_GROUP_CHAT - 1)) {
      long whileDown = chat.world.post("while the node was down");
      chat.start();
      chat.td.fail(Drive.until(chat, Drive::isHistory), 400, "Chat not found");
      // MessagesManager::create_dialog: neither memory nor the chat info database has the group
      chat.td.fail(chat.request("createBasicGroupChat"), 400, "Chat info not found");
      assertThat(chat.td.nextRequest(Duration.ofMillis(200))).as("a request before TDLib knows the chat").isEmpty();
      assertThat(chat.progress().access()).isEqualTo("active");

      chat.describe(ChatKind.BASIC_GROUP, 10); // updateNewChat: the account tells the chat what TDLib says of it
      Drive.settle(chat);

      assertThat(chat.progress().access()).isEqualTo("active");
      assertThat(chat.progress().historyComplete()).isTrue();
      assertThat(chat.archived()).containsKey(whileDown);
      assertThat(chat.holes()).isEmpty();
    }
  }

  /** A basic group whose whole history is archived, then the node restarts on a TDLib instance new to it. */
  private static ChatScenario recoveredOnAFreshInstance(long chatId) {
    ChatScenario chat = rig.scenario(chatId, 30);
    chat.spawn();
    chat.describe(ChatKind.BASIC_GROUP, 10);
    chat.start();
    Drive.settle(chat);
    assertThat(chat.progress().historyComplete()).isTrue();
    chat.crash();
    chat.spawn();
    return chat;
  }

  private static ObjectNode chatObject(long chatId) {
    ObjectNode chat = ScriptedTdJson.JSON.createObjectNode().put("@type", "chat").put("id", chatId)
        .put("title", "chat " + chatId);
    chat.putObject("type").put("@type", "chatTypeBasicGroup").put("basic_group_id", -chatId);
    return chat;
  }
}
