package dev.tg.simulator;

import static dev.tg.simulator.TdHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
  void linkPreviewArrivingIsAContentUpdateWithoutAnEdit() {
    long chatId = harness.chatOf(ChatKind.PRIVATE).id();
    long id = harness.telegram.postMessage(chatId, "look at https://example.org/p/abc please");
    ObjectNode posted = (ObjectNode) harness.updates("updateNewMessage").get(0).get("message");
    assertThat(posted.path("content").has("link_preview")).isFalse();
    assertThat(posted.path("content").path("text").path("entities")).singleElement().satisfies(entity -> {
      assertThat(entity.path("offset").asInt()).isEqualTo(8);
      assertThat(entity.path("length").asInt()).isEqualTo("https://example.org/p/abc".length());
      assertThat(entity.path("type").path("@type").asText()).isEqualTo("textEntityTypeUrl");
    });
    harness.clearUpdates();
    harness.clock.advance(Duration.ofSeconds(5));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !harness.updates("updateMessageContent").isEmpty());
    // on_external_update_message_content: the content, and the last message since it is the chat's last one
    assertThat(types()).containsExactly("updateMessageContent", "updateChatLastMessage");
    ObjectNode content = (ObjectNode) harness.updates("updateMessageContent").get(0).get("new_content");
    assertThat(content.path("link_preview").path("url").asText()).isEqualTo("https://example.org/p/abc");
    SimMessage truth = harness.telegram.groundTruth(chatId).get(id);
    assertThat(truth.text()).isEqualTo("look at https://example.org/p/abc please");
    assertThat(truth.editDate()).isZero();
    assertThat(truth.previousTexts()).isEmpty();
    assertThat(truth.rawJson()).contains("link_preview");
  }

  @Test
  void liveTrafficBringsContentUpdatesThatAreNoEdits() {
    restartWithLiveTraffic();
    harness.clock.advance(Duration.ofMinutes(2));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> harness.updates("updateMessageContent").size() > 3);
    assertThat(harness.updates("updateMessageEdited")).isEmpty();
    assertThat(harness.updates("updateMessageContent")).allSatisfy(update ->
        assertThat(update.path("new_content").has("link_preview")).isTrue());
  }

  @Test
  void scheduledMessageIsApartFromTheHistoryUntilItIsSent() {
    long chatId = harness.chatOf(ChatKind.PRIVATE).id();
    Instant sendAt = TdHarness.EPOCH.plusSeconds(60);
    long scheduledId = harness.telegram.scheduleMessage(chatId, "see you at noon", sendAt);
    ObjectNode scheduled = (ObjectNode) harness.updates("updateNewMessage").get(0).get("message");
    assertThat(scheduled.path("id").asLong()).isEqualTo(scheduledId);
    // MessageId.h: SCHEDULED_MASK, the scheduled server id, the send date above 2^30 from bit 21 on
    assertThat(scheduledId & 7).isEqualTo(4);
    assertThat((scheduledId >> 21) + (1L << 30)).isEqualTo(sendAt.getEpochSecond());
    assertThat((scheduledId >> 3) & ((1 << 18) - 1)).isEqualTo(1);
    assertThat(scheduled.path("scheduling_state").path("@type").asText())
        .isEqualTo("messageSchedulingStateSendAtDate");
    assertThat(scheduled.path("scheduling_state").path("send_date").asLong()).isEqualTo(sendAt.getEpochSecond());
    assertThat(types()).containsExactly("updateNewMessage", "updateChatHasScheduledMessages");
    assertThat(harness.updates("updateChatLastMessage")).isEmpty();
    assertThat(harness.telegram.groundTruth(chatId)).doesNotContainKey(scheduledId);
    assertThat(TdHarness.ids(harness.call(client, TdHarness.history(chatId, 0, 0, 10)))).doesNotContain(scheduledId);
    harness.clearUpdates();

    harness.clock.advance(Duration.ofSeconds(60));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !harness.updates("updateNewMessage").isEmpty());
    assertThat(types()).containsExactly("updateDeleteMessages", "updateChatHasScheduledMessages",
        "updateNewMessage", "updateChatLastMessage");
    ObjectNode deletion = harness.updates("updateDeleteMessages").get(0);
    assertThat(deletion.path("message_ids")).singleElement()
        .satisfies(messageId -> assertThat(messageId.asLong()).isEqualTo(scheduledId));
    assertThat(deletion.path("is_permanent").asBoolean()).isTrue();
    assertThat(deletion.path("from_cache").asBoolean()).isFalse();
    ObjectNode sent = (ObjectNode) harness.updates("updateNewMessage").get(0).get("message");
    long sentId = sent.path("id").asLong();
    assertThat(sentId & ((1L << 20) - 1)).isZero();
    assertThat(sent.has("scheduling_state")).isFalse();
    assertThat(sent.path("is_outgoing").asBoolean()).isTrue();
    assertThat(sent.path("date").asLong()).isEqualTo(sendAt.getEpochSecond());
    assertThat(harness.telegram.groundTruth(chatId).get(sentId).text()).isEqualTo("see you at noon");
    assertThat(harness.telegram.groundTruth(chatId).lastKey()).isEqualTo(sentId);
  }

  @Test
  void updatingIsRoutineWithoutAnyOutage() {
    harness.clock.advance(Duration.ofMinutes(3));
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> harness.updates("updateConnectionState").size() >= 2);
    assertThat(harness.allUpdates()).extracting(update -> update.path("state").path("@type").asText())
        .containsExactly("connectionStateUpdating", "connectionStateReady");
    harness.clearUpdates();
    harness.telegram.setRoutineUpdates(Duration.ZERO);
    harness.clock.advance(Duration.ofMinutes(30));
    harness.call(client, request("getOption").put("name", "version"));
    assertThat(harness.updates("updateConnectionState")).isEmpty();
  }

  @Test
  void routineUpdatesComeAtTimesDrawnFromTheSeed() {
    assertThat(routineUpdateMinutes(4)).isEqualTo(routineUpdateMinutes(4)).isNotEqualTo(routineUpdateMinutes(5))
        .hasSizeBetween(10, 20);
  }

  /** The minutes of the first half hour after the epoch in which a routine update came. */
  private static List<Long> routineUpdateMinutes(long seed) {
    try (TdHarness run = new TdHarness(WorldSpec.tiny(seed).withLiveTraffic(0, 0, 0), LoginScript.AUTO)) {
      int client = run.readyClientWithChats();
      run.clearUpdates();
      List<Long> minutes = new ArrayList<>();
      for (long minute = 1; minute <= 30; minute++) {
        run.clock.advance(Duration.ofMinutes(1));
        run.call(client, request("getOption").put("name", "version"));
        if (!run.updates("updateConnectionState").isEmpty()) {
          minutes.add(minute);
          run.clearUpdates();
        }
      }
      return minutes;
    }
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
  void aPrivateChatsTitleFollowsItsPartnersNewName() {
    SimChat dm = harness.chatOf(ChatKind.PRIVATE);
    harness.telegram.renameUser(dm.entityId(), "Renamed", "Partner"); // a private chat's entity is its partner
    assertThat(harness.updates("updateChatTitle")).extracting(update -> update.path("chat_id").asLong(),
        update -> update.path("title").asText()).contains(tuple(dm.id(), "Renamed Partner"));
  }

  @Test
  void liveTrafficFlowsAsTheClockMoves() {
    restartWithLiveTraffic();
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
    long count = harness.send(client, TdHarness.search(direct, "", 0, 10));
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

  /** A world with five new messages a second and no edits or deletions, all chats loaded. */
  private void restartWithLiveTraffic() {
    harness.close();
    harness = new TdHarness(WorldSpec.tiny(8).withLiveTraffic(5, 0, 0), LoginScript.AUTO);
    client = harness.readyClientWithChats();
    harness.clearUpdates();
  }

  private List<String> types() {
    return harness.allUpdates().stream()
        .map(update -> update.path("@type").asText())
        .filter(type -> !type.equals("updateUser"))
        .toList();
  }
}
