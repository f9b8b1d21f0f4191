package dev.tg.simulator;

import static dev.tg.simulator.TdHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LiveUpdatesTest {
  private TdHarness harness;
  private int client;

  @BeforeEach
  void start() {
    harness = TdHarness.quiet();
    client = harness.readyClientWithChats();
    harness.clearUpdates();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void postedMessageArrivesAsNewMessageAndLastMessage() {
    long chatId = harness.chatOf(ChatKind.PRIVATE).id();
    long id = harness.telegram.postMessage(chatId, "hello Привет 你好 👍");
    assertThat(types()).containsExactly("updateNewMessage", "updateChatLastMessage");
    ObjectNode message = (ObjectNode) harness.updates("updateNewMessage").get(0).get("message");
    assertThat(message.path("id").asLong()).isEqualTo(id);
    assertThat(message.path("content").path("text").path("text").asText()).isEqualTo("hello Привет 你好 👍");
    assertThat(harness.updates("updateChatLastMessage").get(0).path("last_message").path("id").asLong())
        .isEqualTo(id);
    assertThat(harness.telegram.groundTruth(chatId).lastKey()).isEqualTo(id);
  }

  @Test
  void supergroupSendsNewMessagesOnlyWhileOpen() {
    long chatId = harness.chatOf(ChatKind.SUPERGROUP).id();
    harness.telegram.postMessage(chatId, "closed");
    assertThat(types()).containsExactly("updateChatLastMessage");
    harness.call(client, request("openChat").put("chat_id", chatId));
    harness.clearUpdates();
    harness.telegram.postMessage(chatId, "open");
    assertThat(types()).containsExactly("updateNewMessage", "updateChatLastMessage");
  }

  @Test
  void skippedUpdatesOnlyMoveTheLastMessage() {
    long chatId = harness.chatOf(ChatKind.CHANNEL).id();
    harness.call(client, request("openChat").put("chat_id", chatId));
    harness.clearUpdates();
    List<Long> ids = harness.telegram.skipUpdates(chatId, 5);
    assertThat(types()).containsExactly("updateChatLastMessage");
    assertThat(harness.updates("updateChatLastMessage").get(0).path("last_message").path("id").asLong())
        .isEqualTo(ids.get(4));
  }

  @Test
  void editIsContentThenEdited() {
    long chatId = harness.chatOf(ChatKind.PRIVATE).id();
    long id = harness.telegram.postMessage(chatId, "first");
    harness.clearUpdates();
    harness.clock.advance(Duration.ofSeconds(30));
    harness.telegram.editMessage(chatId, id, "second");
    assertThat(types()).containsExactly("updateMessageContent", "updateMessageEdited");
    assertThat(harness.updates("updateMessageContent").get(0).path("new_content").path("text").path("text").asText())
        .isEqualTo("second");
    assertThat(harness.updates("updateMessageEdited").get(0).path("edit_date").asLong())
        .isEqualTo(TdHarness.EPOCH.getEpochSecond() + 30);
    SimMessage truth = harness.telegram.groundTruth(chatId).get(id);
    assertThat(truth.text()).isEqualTo("second");
    assertThat(truth.previousTexts()).containsExactly("first");
  }

  @Test
  void permanentDeletionAndCacheUnloadAreTold() {
    long chatId = harness.chatOf(ChatKind.BASIC_GROUP).id();
    List<Long> live = harness.liveIdsNewestFirst(chatId);
    harness.telegram.unloadFromCache(chatId, live.get(0));
    harness.telegram.deleteMessages(chatId, live.get(0));
    List<ObjectNode> deletions = harness.updates("updateDeleteMessages");
    assertThat(deletions).hasSize(2);
    assertThat(deletions.get(0).path("from_cache").asBoolean()).isTrue();
    assertThat(deletions.get(0).path("is_permanent").asBoolean()).isFalse();
    assertThat(deletions.get(1).path("from_cache").asBoolean()).isFalse();
    assertThat(deletions.get(1).path("is_permanent").asBoolean()).isTrue();
    assertThat(harness.updates("updateChatLastMessage")).last().satisfies(update ->
        assertThat(update.path("last_message").path("id").asLong()).isEqualTo(live.get(1)));
    assertThat(harness.telegram.groundTruth(chatId).get(live.get(0)).deleted()).isTrue();
  }

  @Test
  void memberCountChangesAreTold() {
    SimChat supergroup = harness.chatOf(ChatKind.SUPERGROUP);
    harness.telegram.setMemberCount(supergroup.id(), 77);
    assertThat(types()).containsExactly("updateSupergroup", "updateSupergroupFullInfo");
    assertThat(harness.updates("updateSupergroupFullInfo").get(0).path("supergroup_full_info")
        .path("member_count").asInt()).isEqualTo(77);
    SimChat basic = harness.chatOf(ChatKind.BASIC_GROUP);
    harness.telegram.setMemberCount(basic.id(), 9);
    assertThat(harness.updates("updateBasicGroup").get(0).path("basic_group").path("member_count").asInt())
        .isEqualTo(9);
  }

  @Test
  void contactChangesAreUserUpdates() {
    long added = harness.telegram.addContact("Zoë", "Ng");
    harness.telegram.renameUser(added, "Zoe", "Ng");
    harness.telegram.removeContact(added);
    List<ObjectNode> users = harness.updates("updateUser");
    assertThat(users).extracting(update -> update.path("user").path("first_name").asText())
        .containsExactly("Zoë", "Zoe", "Zoe");
    assertThat(users).extracting(update -> update.path("user").path("is_contact").asBoolean())
        .containsExactly(true, true, false);
    assertThat(harness.telegram.contactIds()).doesNotContain(added);
  }

  @Test
  void liveTrafficFlowsAsTheClockMoves() {
    harness.close();
    harness = new TdHarness(WorldSpec.tiny(8).withLiveTraffic(5, 0, 0), LoginScript.AUTO);
    client = harness.readyClientWithChats();
    harness.clearUpdates();
    long before = harness.telegram.messageCount();
    harness.clock.advance(Duration.ofSeconds(20));
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> harness.updates("updateChatLastMessage").size() >= 50);
    assertThat(harness.telegram.messageCount()).isBetween(before + 50, before + 200);
  }

  @Test
  void outageHoldsRequestsAndSkipsSupergroupGaps() {
    long direct = harness.chatOf(ChatKind.PRIVATE).id();
    long supergroup = harness.chatOf(ChatKind.SUPERGROUP).id();
    harness.call(client, request("openChat").put("chat_id", supergroup));
    harness.clearUpdates();

    harness.telegram.outage(Duration.ofSeconds(30));
    long directMessage = harness.telegram.postMessage(direct, "while away");
    long supergroupMessage = harness.telegram.postMessage(supergroup, "skipped");
    long count = harness.send(client, request("getChatMessageCount")
        .put("chat_id", direct)
        .set("filter", request("searchMessagesFilterEmpty")));
    assertThat(harness.answered(count)).isFalse();
    assertThat(types()).containsExactly("updateConnectionState");

    harness.clock.advance(Duration.ofSeconds(30));
    harness.await(count);
    List<String> states = harness.updates("updateConnectionState").stream()
        .map(update -> update.path("state").path("@type").asText())
        .toList();
    assertThat(states).containsExactly("connectionStateWaitingForNetwork", "connectionStateConnecting",
        "connectionStateUpdating", "connectionStateReady");
    assertThat(harness.updates("updateNewMessage")).extracting(update -> update.path("message").path("id").asLong())
        .containsExactly(directMessage);
    assertThat(harness.updates("updateChatLastMessage"))
        .anySatisfy(update -> assertThat(update.path("last_message").path("id").asLong()).isEqualTo(supergroupMessage));
  }

  @Test
  void everyReadyClientHearsTheWorld() {
    int second = harness.readyClientWithChats();
    harness.clearUpdates();
    long chatId = harness.chatOf(ChatKind.PRIVATE).id();
    harness.telegram.postMessage(chatId, "to both");
    assertThat(harness.updates("updateNewMessage"))
        .extracting(update -> update.path("@client_id").asInt())
        .containsExactlyInAnyOrder(client, second);
  }

  private List<String> types() {
    return harness.allUpdates().stream()
        .map(update -> update.path("@type").asText())
        .filter(type -> !type.equals("updateUser"))
        .toList();
  }
}
