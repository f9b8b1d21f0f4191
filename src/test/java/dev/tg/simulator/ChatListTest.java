package dev.tg.simulator;

import static dev.tg.simulator.TdHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatListTest {
  private TdHarness harness;
  private int client;

  @BeforeEach
  void start() {
    harness = TdHarness.quiet();
    client = harness.td.createClientId();
    harness.call(client, TdHarness.tdlibParameters(""));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void loadChatsAnnouncesEveryChatInPagesThenAnswersNotFound() {
    int calls = 0;
    ObjectNode answer;
    do {
      answer = harness.call(client, request("loadChats")
          .put("limit", 4)
          .set("chat_list", request("chatListMain")));
      calls++;
    } while (answer.path("@type").asText().equals("ok"));
    assertThat(answer.path("code").asInt()).isEqualTo(404);
    assertThat(answer.path("message").asText()).isEqualTo("Not Found");

    List<SimChat> world = harness.telegram.chats();
    Set<Long> announced = harness.updates("updateNewChat").stream()
        .map(update -> update.path("chat").path("id").asLong())
        .collect(Collectors.toSet());
    assertThat(announced).containsExactlyInAnyOrderElementsOf(world.stream().map(SimChat::id).toList());
    assertThat(calls).isEqualTo((world.size() + 3) / 4 + 1);
    assertThat(harness.updates("updateChatPosition")).allSatisfy(update ->
        assertThat(update.path("position").path("order").isTextual()).isTrue());
  }

  @Test
  void worldHasEveryKindOfChat() {
    List<SimChat> chats = harness.telegram.chats();
    assertThat(chats).extracting(SimChat::kind).contains(ChatKind.values());
    assertThat(chats.size()).isBetween(12, 20);
    SimChat upgraded = chats.stream()
        .filter(chat -> chat.kind() == ChatKind.BASIC_GROUP && chat.upgradeLinkedChatId() != 0)
        .findFirst()
        .orElseThrow();
    assertThat(harness.telegram.groundTruth(upgraded.id()).values())
        .last()
        .satisfies(message -> assertThat(message.contentType()).isEqualTo("messageChatUpgradeTo"));
    assertThat(harness.telegram.groundTruth(upgraded.upgradeLinkedChatId()).values())
        .first()
        .satisfies(message -> assertThat(message.contentType()).isEqualTo("messageChatUpgradeFrom"));
  }

  @Test
  void chatObjectsFollowTdlibIdsAndTypes() {
    loadAll();
    for (SimChat chat : harness.telegram.chats()) {
      ObjectNode object = harness.call(client, request("getChat").put("chat_id", chat.id()));
      assertThat(object.path("@type").asText()).isEqualTo("chat");
      ObjectNode type = (ObjectNode) object.get("type");
      switch (chat.kind()) {
        case PRIVATE -> assertThat(type.path("user_id").asLong()).isEqualTo(chat.id());
        case SECRET -> assertThat(chat.id()).isEqualTo(-2_000_000_000_000L + type.path("secret_chat_id").asLong());
        case BASIC_GROUP -> assertThat(chat.id()).isEqualTo(-type.path("basic_group_id").asLong());
        case SUPERGROUP, CHANNEL -> {
          assertThat(chat.id()).isEqualTo(-1_000_000_000_000L - type.path("supergroup_id").asLong());
          assertThat(type.path("is_channel").asBoolean()).isEqualTo(chat.kind() == ChatKind.CHANNEL);
        }
      }
      assertThat(object.path("title").asText()).isEqualTo(chat.title());
    }
  }

  @Test
  void hiddenSupergroupMemberCountIsInTheFullInfo() {
    loadAll();
    List<SimChat> supergroups = harness.telegram.chats().stream()
        .filter(chat -> chat.kind() == ChatKind.SUPERGROUP || chat.kind() == ChatKind.CHANNEL)
        .toList();
    int hidden = 0;
    for (SimChat chat : supergroups) {
      ObjectNode supergroup = harness.call(client, request("getSupergroup").put("supergroup_id", chat.entityId()));
      ObjectNode fullInfo = harness.call(client,
          request("getSupergroupFullInfo").put("supergroup_id", chat.entityId()));
      assertThat(fullInfo.path("member_count").asInt()).isEqualTo(chat.memberCount());
      if (supergroup.path("member_count").asInt() == 0) {
        hidden++;
      } else {
        assertThat(supergroup.path("member_count").asInt()).isEqualTo(chat.memberCount());
      }
    }
    assertThat(hidden).isPositive();
  }

  @Test
  void upgradedBasicGroupPointsToItsSupergroup() {
    SimChat basic = harness.telegram.chats().stream()
        .filter(chat -> chat.kind() == ChatKind.BASIC_GROUP && chat.upgradeLinkedChatId() != 0)
        .findFirst()
        .orElseThrow();
    SimChat supergroup = harness.telegram.chats().stream()
        .filter(chat -> chat.id() == basic.upgradeLinkedChatId())
        .findFirst()
        .orElseThrow();
    ObjectNode group = harness.call(client, request("getBasicGroup").put("basic_group_id", basic.entityId()));
    assertThat(group.path("upgraded_to_supergroup_id").asLong()).isEqualTo(supergroup.entityId());
    assertThat(group.path("member_count").asInt()).isEqualTo(basic.memberCount());
  }

  @Test
  void contactsAndUsers() {
    ObjectNode contacts = harness.call(client, request("getContacts"));
    assertThat(contacts.path("total_count").asInt()).isEqualTo(harness.telegram.contactCount());
    long first = contacts.path("user_ids").get(0).asLong();
    assertThat(harness.telegram.contactIds()).contains(first);
    ObjectNode user = harness.call(client, request("getUser").put("user_id", first));
    assertThat(user.path("is_contact").asBoolean()).isTrue();
    assertThat(user.path("type").path("@type").asText()).isEqualTo("userTypeRegular");
    assertThat(user.path("id").isIntegralNumber()).isTrue();
  }

  @Test
  void int64ValuesAreStrings() {
    loadAll();
    ObjectNode myId = harness.call(client, request("getOption").put("name", "my_id"));
    assertThat(myId.path("@type").asText()).isEqualTo("optionValueInteger");
    assertThat(myId.path("value").isTextual()).isTrue();
    assertThat(myId.path("value").asLong()).isEqualTo(harness.telegram.myUserId());
    SimChat channel = harness.chatOf(ChatKind.CHANNEL);
    ObjectNode page = harness.call(client, TdHarness.history(channel.id(), 0, 0, 1));
    ObjectNode message = (ObjectNode) page.path("messages").get(0);
    assertThat(message.path("media_album_id").isTextual()).isTrue();
    assertThat(message.path("id").isIntegralNumber()).isTrue();
    assertThat(message.path("sender_id").path("@type").asText()).isEqualTo("messageSenderChat");
  }

  @Test
  void getChatsListsLoadedChatsInOrder() {
    ObjectNode chats = harness.call(client, request("getChats").put("limit", 5));
    assertThat(chats.path("chat_ids")).hasSize(5);
    long first = chats.path("chat_ids").get(0).asLong();
    assertThat(harness.call(client, request("getChat").put("chat_id", first)).path("id").asLong()).isEqualTo(first);
  }

  private void loadAll() {
    while (harness.call(client, request("loadChats").put("limit", 100)).path("@type").asText().equals("ok")) {
      // until 404
    }
  }
}
