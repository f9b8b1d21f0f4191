package dev.tg.simulator;

import static dev.tg.simulator.TdHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
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
  void loadChatsAnnouncesEveryChatOfTheMainListInPagesThenAnswersNotFound() {
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

    List<Long> mainList = idsIn(SimChat.ChatList.MAIN);
    assertThat(harness.updates("updateChatPosition"))
        .extracting(update -> update.path("chat_id").asLong())
        .containsExactlyInAnyOrderElementsOf(mainList);
    assertThat(calls).isEqualTo((mainList.size() + 3) / 4 + 1);
    assertThat(harness.updates("updateChatPosition")).allSatisfy(update -> {
      assertThat(update.path("position").path("order").isTextual()).isTrue();
      assertThat(update.path("position").path("list").path("@type").asText()).isEqualTo("chatListMain");
    });
    // the other chats announced are the channels that last messages were forwarded from: without positions
    Set<Long> foreign = harness.telegram.foreignChats().stream().map(SimChat::id).collect(Collectors.toSet());
    assertThat(harness.updates("updateNewChat"))
        .filteredOn(update -> !mainList.contains(update.path("chat").path("id").asLong()))
        .allSatisfy(update -> {
          assertThat(foreign).contains(update.path("chat").path("id").asLong());
          assertThat(update.path("chat").path("positions")).isEmpty();
        });
  }

  @Test
  void archivedChatsAreOnlyInTheArchiveList() {
    harness.loadAll(client, "chatListMain");
    List<Long> archived = idsIn(SimChat.ChatList.ARCHIVE);
    assertThat(archived).hasSize(2);
    assertThat(harness.telegram.chats()).filteredOn(chat -> archived.contains(chat.id()))
        .extracting(SimChat::kind).containsExactlyInAnyOrder(ChatKind.PRIVATE, ChatKind.BASIC_GROUP);
    assertThat(harness.updates("updateChatPosition"))
        .noneMatch(update -> archived.contains(update.path("chat_id").asLong()));
    harness.clearUpdates();

    assertThat(harness.loadAll(client, "chatListArchive")).isEqualTo(2);
    assertThat(harness.updates("updateChatPosition")).allSatisfy(update ->
        assertThat(update.path("position").path("list").path("@type").asText()).isEqualTo("chatListArchive"));
    assertThat(harness.updates("updateChatPosition")).extracting(update -> update.path("chat_id").asLong())
        .containsExactlyInAnyOrderElementsOf(archived);
    ObjectNode chats = harness.call(client, request("getChats").put("limit", 10)
        .set("chat_list", request("chatListArchive")));
    assertThat(chats.path("total_count").asInt()).isEqualTo(2);
    ObjectNode chat = harness.call(client, request("getChat").put("chat_id", archived.get(0)));
    assertThat(chat.path("positions")).singleElement().satisfies(position ->
        assertThat(position.path("list").path("@type").asText()).isEqualTo("chatListArchive"));
  }

  @Test
  void chatsForwardedFromAreAnnouncedWithoutPositionsAndInNoList() {
    harness.close();
    harness = new TdHarness(WorldSpec.demo(3).withLiveTraffic(0, 0, 0), LoginScript.AUTO);
    client = harness.readyClientWithChats();
    SimChat group = harness.chatOf(ChatKind.BASIC_GROUP);
    ObjectNode forwarded = null;
    for (long from = 0; forwarded == null; ) {
      List<ObjectNode> page = new ArrayList<>();
      harness.call(client, TdHarness.history(group.id(), from, 0, 100)).path("messages")
          .forEach(message -> page.add((ObjectNode) message));
      assertThat(page).as("a forwarded message in %s", group.id()).isNotEmpty();
      forwarded = page.stream().filter(message -> message.has("forward_info")).findFirst().orElse(null);
      from = page.get(page.size() - 1).path("id").asLong();
    }
    ObjectNode origin = (ObjectNode) forwarded.path("forward_info").path("origin");
    assertThat(origin.path("@type").asText()).isEqualTo("messageOriginChannel");
    long originChat = origin.path("chat_id").asLong();
    SimChat foreign = harness.telegram.foreignChats().stream().filter(chat -> chat.id() == originChat)
        .findFirst().orElseThrow();
    assertThat(foreign.list()).isEqualTo(SimChat.ChatList.NONE);
    assertThat(foreign.member()).isFalse();
    assertThat(harness.telegram.groundTruth(originChat)).containsKey(origin.path("message_id").asLong());
    assertThat(forwarded.path("forward_info").path("date").asInt())
        .isLessThanOrEqualTo(forwarded.path("date").asInt());
    assertThat(harness.updates("updateNewChat"))
        .filteredOn(update -> update.path("chat").path("id").asLong() == originChat)
        .singleElement()
        .satisfies(update -> assertThat(update.path("chat").path("positions")).isEmpty());
    assertThat(harness.updates("updateChatPosition"))
        .noneMatch(update -> update.path("chat_id").asLong() == originChat);
    assertThat(harness.updates("updateSupergroup"))
        .filteredOn(update -> update.path("supergroup").path("id").asLong() == foreign.entityId())
        .allSatisfy(update -> assertThat(update.path("supergroup").path("status").path("@type").asText())
            .isEqualTo("chatMemberStatusLeft"));
    // a public channel: TDLib reads its history without joining
    assertThat(TdHarness.ids(harness.call(client, TdHarness.history(originChat, 0, 0, 10)))).isNotEmpty();
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
    for (SimChat chat : harness.telegram.chats().stream().filter(chat -> chat.list() != SimChat.ChatList.NONE)
        .toList()) {
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
  void upgradedBasicGroupIsInNoListAndCreateBasicGroupChatGivesItsChat() {
    SimChat basic = harness.upgradedBasicGroup();
    SimChat supergroup = harness.telegram.chats().stream()
        .filter(chat -> chat.id() == basic.upgradeLinkedChatId()).findFirst().orElseThrow();
    assertThat(basic.list()).isEqualTo(SimChat.ChatList.NONE);
    loadAll();
    assertThat(harness.updates("updateNewChat"))
        .noneMatch(update -> update.path("chat").path("id").asLong() == basic.id());
    ObjectNode createRequest = request("createBasicGroupChat")
        .put("basic_group_id", basic.entityId())
        .put("force", true);
    assertThat(harness.call(client, createRequest).path("message").asText()).isEqualTo("Chat info not found");

    ObjectNode fullInfo = harness.call(client,
        request("getSupergroupFullInfo").put("supergroup_id", supergroup.entityId()));
    assertThat(fullInfo.path("upgraded_from_basic_group_id").asLong()).isEqualTo(basic.entityId());
    assertThat(harness.updates("updateBasicGroup"))
        .anySatisfy(update -> assertThat(update.path("basic_group").path("id").asLong()).isEqualTo(basic.entityId()));
    harness.clearUpdates();
    ObjectNode chat = harness.call(client, createRequest);
    assertThat(chat.path("@type").asText()).isEqualTo("chat");
    assertThat(chat.path("id").asLong()).isEqualTo(basic.id());
    assertThat(chat.path("positions")).isEmpty();
    assertThat(harness.updates("updateNewChat")).singleElement().satisfies(update ->
        assertThat(update.path("chat").path("positions")).isEmpty());
    assertThat(harness.updates("updateChatPosition")).isEmpty();

    List<Long> history = TdHarness.ids(harness.call(client, TdHarness.history(basic.id(), 0, 0, 10)));
    assertThat(history).containsExactly(harness.liveIdsNewestFirst(basic.id()).get(0));
    assertThat(history.get(0)).isEqualTo(fullInfo.path("upgraded_from_max_message_id").asLong());
    ObjectNode upgradeFrom = harness.call(client, request("getMessage").put("chat_id", supergroup.id())
        .put("message_id", harness.telegram.groundTruth(supergroup.id()).firstKey()));
    assertThat(upgradeFrom.path("content").path("@type").asText()).isEqualTo("messageChatUpgradeFrom");
    assertThat(upgradeFrom.path("content").path("basic_group_id").asLong()).isEqualTo(basic.entityId());
  }

  /** MessagesManager::create_dialog for each kind: the user or group must be known, and the chat readable. */
  @Test
  void createChatOfEachKindNeedsItsUserOrGroupAndReadAccess() {
    SimChat privateChat = harness.chatOf(ChatKind.PRIVATE);
    SimChat supergroup = harness.chatOf(ChatKind.SUPERGROUP);
    SimChat channel = harness.chatOf(ChatKind.CHANNEL);
    ObjectNode createPrivate = request("createPrivateChat").put("user_id", privateChat.id()).put("force", true);
    ObjectNode createSupergroup = request("createSupergroupChat").put("supergroup_id", supergroup.entityId())
        .put("force", true);
    assertThat(harness.call(client, createPrivate).path("message").asText()).isEqualTo("Chat info not found");
    assertThat(harness.call(client, createSupergroup).path("message").asText()).isEqualTo("Chat info not found");

    loadAll();
    harness.telegram.leaveChat(channel.id());
    assertThat(harness.call(client, createPrivate).path("id").asLong()).isEqualTo(privateChat.id());
    assertThat(harness.call(client, createSupergroup).path("id").asLong()).isEqualTo(supergroup.id());
    assertThat(harness.call(client, request("createSupergroupChat").put("supergroup_id", channel.entityId())
        .put("force", true)).path("message").asText()).isEqualTo("Can't access the chat");
  }

  @Test
  void createBasicGroupChatWithoutForceAsksTheServer() {
    SimChat basic = harness.upgradedBasicGroup();
    harness.call(client, request("getSupergroupFullInfo").put("supergroup_id",
        harness.telegram.chats().stream().filter(chat -> chat.id() == basic.upgradeLinkedChatId()).findFirst()
            .orElseThrow().entityId()));
    harness.telegram.setFaults(new FaultProfile(0, 1.0, 1));
    ObjectNode create = request("createBasicGroupChat").put("basic_group_id", basic.entityId());
    assertThat(harness.call(client, create.put("force", false)).path("code").asInt()).isEqualTo(500);
    assertThat(harness.call(client, create.put("force", true)).path("id").asLong()).isEqualTo(basic.id());
  }

  @Test
  void leftSupergroupLeavesItsListAndIsRefusedUntilRejoined() {
    loadAll();
    SimChat channel = harness.chatOf(ChatKind.CHANNEL);
    harness.clearUpdates();
    harness.telegram.leaveChat(channel.id());
    assertThat(harness.updates("updateSupergroup")).singleElement().satisfies(update ->
        assertThat(update.path("supergroup").path("status").path("@type").asText()).isEqualTo("chatMemberStatusLeft"));
    assertThat(harness.updates("updateChatPosition")).singleElement().satisfies(update -> {
      assertThat(update.path("position").path("order").asText()).isEqualTo("0");
      assertThat(update.path("position").path("list").path("@type").asText()).isEqualTo("chatListMain");
    });
    // ChatManager::have_input_peer_channel: a private channel left is not readable, and TDLib knows it by itself
    harness.telegram.clearRequestLog();
    assertThat(harness.call(client, TdHarness.history(channel.id(), 0, 0, 10)).path("message").asText())
        .isEqualTo("Can't access the chat");
    assertThat(harness.call(client, request("getChat").put("chat_id", channel.id())).path("positions")).isEmpty();
    assertThat(harness.telegram.chats()).filteredOn(chat -> chat.id() == channel.id()).singleElement()
        .satisfies(chat -> assertThat(chat.list()).isEqualTo(SimChat.ChatList.NONE));

    harness.clearUpdates();
    harness.telegram.rejoinChat(channel.id());
    assertThat(harness.updates("updateChatPosition")).singleElement().satisfies(update ->
        assertThat(update.path("position").path("order").asText()).isNotEqualTo("0"));
    assertThat(TdHarness.ids(harness.call(client, TdHarness.history(channel.id(), 0, 0, 10)))).isNotEmpty();
  }

  @Test
  void leftBasicGroupKeepsItsPositionAndItsHistoryButGetsNoMessages() {
    loadAll();
    SimChat group = harness.chatOf(ChatKind.BASIC_GROUP);
    harness.clearUpdates();
    harness.telegram.leaveChat(group.id());
    assertThat(harness.updates("updateBasicGroup")).singleElement().satisfies(update ->
        assertThat(update.path("basic_group").path("status").path("@type").asText())
            .isEqualTo("chatMemberStatusLeft"));
    // DialogManager::is_dialog_removed_from_dialog_list removes only deactivated basic groups
    assertThat(harness.updates("updateChatPosition")).isEmpty();
    assertThat(TdHarness.ids(harness.call(client, TdHarness.history(group.id(), 0, 0, 10)))).isNotEmpty();
    assertThatThrownBy(() -> harness.telegram.postMessage(group.id(), "after"))
        .isInstanceOf(IllegalArgumentException.class);
    harness.telegram.rejoinChat(group.id());
    assertThat(harness.telegram.postMessage(group.id(), "back")).isPositive();
  }

  @Test
  void withoutSecretChatsTheInstanceHasNone() {
    harness.close();
    harness = TdHarness.quiet();
    SimChat secret = harness.chatOf(ChatKind.SECRET);
    int plain = harness.td.createClientId();
    harness.call(plain, TdHarness.tdlibParameters("").put("use_secret_chats", false));
    harness.loadAll(plain, "chatListMain");
    long partner = harness.telegram.chats().stream().filter(chat -> chat.kind() == ChatKind.PRIVATE)
        .findFirst().orElseThrow().entityId();
    harness.telegram.requestSecretChat(partner);
    harness.clock.advance(Duration.ofSeconds(3));
    harness.call(plain, request("getOption").put("name", "version"));
    List<ObjectNode> updates = harness.allUpdates();
    assertThat(updates).noneMatch(update -> update.path("@type").asText().equals("updateSecretChat"));
    assertThat(updates).noneMatch(update -> update.path("chat").path("type").path("@type").asText()
        .equals("chatTypeSecret"));
    assertThat(harness.call(plain, request("getChat").put("chat_id", secret.id())).path("message").asText())
        .isEqualTo("Chat not found");
    assertThat(harness.call(plain, request("getSecretChat").put("secret_chat_id", secret.entityId()))
        .path("message").asText()).isEqualTo("Secret chat not found");
    assertThat(harness.telegram.acceptedSecretChats()).isZero();
  }

  @Test
  void withSecretChatsTdlibAcceptsAnIncomingOneByItself() {
    harness.loadAll(client, "chatListMain");
    harness.clearUpdates();
    long partner = harness.telegram.chats().stream().filter(chat -> chat.kind() == ChatKind.PRIVATE)
        .findFirst().orElseThrow().entityId();
    long secretChatId = harness.telegram.requestSecretChat(partner);
    harness.clock.advance(Duration.ofSeconds(1));
    harness.call(client, request("getOption").put("name", "version"));
    assertThat(harness.telegram.acceptedSecretChats()).isZero();
    // SecretChatsManager::on_update_chat waits 2 seconds, then SecretChatActor goes straight to SendAccept
    harness.clock.advance(Duration.ofSeconds(1));
    harness.call(client, request("getOption").put("name", "version"));
    assertThat(harness.telegram.acceptedSecretChats()).isEqualTo(1);
    assertThat(harness.updates("updateSecretChat")).extracting(
            update -> update.path("secret_chat").path("state").path("@type").asText())
        .containsExactly("secretChatStatePending", "secretChatStateReady");
    assertThat(harness.updates("updateNewChat")).singleElement().satisfies(update -> {
      assertThat(update.path("chat").path("id").asLong()).isEqualTo(secretChatId);
      assertThat(update.path("chat").path("positions")).isNotEmpty();
    });
    assertThat(harness.telegram.chats()).anyMatch(chat -> chat.id() == secretChatId);
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
    harness.loadAll(client, "chatListMain");
    harness.loadAll(client, "chatListArchive");
  }

  private List<Long> idsIn(SimChat.ChatList list) {
    return harness.telegram.chats().stream().filter(chat -> chat.list() == list).map(SimChat::id).toList();
  }
}
