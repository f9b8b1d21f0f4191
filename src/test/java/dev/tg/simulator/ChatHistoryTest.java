package dev.tg.simulator;

import static dev.tg.simulator.TdHarness.history;
import static dev.tg.simulator.TdHarness.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ChatHistoryTest {
  private TdHarness harness;
  private int client;

  @BeforeEach
  void start() {
    harness = TdHarness.quiet();
    client = harness.readyClientWithChats();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void firstCallForAChatReturnsOnlyTheLastMessage() {
    SimChat chat = harness.chatOf(ChatKind.SUPERGROUP);
    ObjectNode page = harness.call(client, history(chat.id(), 0, 0, 100));
    assertThat(page.path("@type").asText()).isEqualTo("messages");
    assertThat(ids(page)).containsExactly(harness.liveIdsNewestFirst(chat.id()).get(0));
    assertThat(page.path("total_count").asInt()).isEqualTo(1);
  }

  @Test
  void offsetZeroExcludesTheFromMessage() {
    SimChat chat = harness.chatOf(ChatKind.PRIVATE);
    List<Long> live = harness.liveIdsNewestFirst(chat.id());
    harness.call(client, history(chat.id(), 0, 0, 1));
    long from = live.get(2);
    List<Long> page = ids(harness.call(client, history(chat.id(), from, 0, 3)));
    assertThat(page).isNotEmpty();
    assertThat(live.subList(3, Math.min(6, live.size()))).startsWith(page.toArray(Long[]::new));
  }

  @Test
  void negativeOffsetAddsNewerMessagesAndKeepsTheFromMessage() {
    SimChat chat = harness.chatOf(ChatKind.CHANNEL);
    List<Long> live = harness.liveIdsNewestFirst(chat.id());
    harness.call(client, history(chat.id(), 0, 0, 1));
    long from = live.get(10);
    List<Long> page = ids(harness.call(client, history(chat.id(), from, -3, 8)));
    // TDLib: the 3 lowest ids >= from (from itself and 2 newer), then 5 older ones; a short page is a prefix
    assertThat(live.subList(8, 16)).startsWith(page.toArray(Long[]::new));
  }

  @Test
  void limitEqualToMinusOffsetReturnsNothingOlderThanTheFromMessage() {
    SimChat chat = harness.chatOf(ChatKind.CHANNEL);
    List<Long> live = harness.liveIdsNewestFirst(chat.id());
    harness.call(client, history(chat.id(), 0, 0, 1));
    long from = live.get(10);
    List<Long> page = ids(harness.call(client, history(chat.id(), from, -4, 4)));
    assertThat(live.subList(7, 11)).startsWith(page.toArray(Long[]::new));
  }

  @Test
  void fromALocalIdBetweenMessagesStartsBelowIt() {
    SimChat chat = harness.chatOf(ChatKind.PRIVATE);
    List<Long> live = harness.liveIdsNewestFirst(chat.id());
    harness.call(client, history(chat.id(), 0, 0, 1));
    long between = live.get(1) + 2;
    List<Long> page = ids(harness.call(client, history(chat.id(), between, 0, 2)));
    assertThat(live.subList(1, 3)).startsWith(page.toArray(Long[]::new));
  }

  @ParameterizedTest
  @EnumSource(ChatKind.class)
  void pagingDownToTheStartReturnsEveryMessageExactlyOnce(ChatKind kind) {
    SimChat chat = harness.chatOf(kind);
    List<Long> received = pageAll(chat.id());
    assertThat(received).isEqualTo(harness.liveIdsNewestFirst(chat.id()));
  }

  @Test
  void someLaterPagesAreShortButNeverEmptyBeforeTheStart() {
    SimChat chat = harness.chatOf(ChatKind.CHANNEL);
    int live = harness.liveIdsNewestFirst(chat.id()).size();
    long from = 0;
    int shortPages = 0;
    int pages = 0;
    while (true) {
      List<Long> page = ids(harness.call(client, history(chat.id(), from, 0, 20)));
      if (page.isEmpty()) {
        break;
      }
      pages++;
      if (page.size() < 20) {
        shortPages++;
      }
      from = page.get(page.size() - 1);
    }
    assertThat(live).isGreaterThan(100);
    assertThat(shortPages).isGreaterThan(1).isLessThan(pages);
  }

  @Test
  void deletedMessagesAreNotReturned() {
    SimChat chat = harness.chatOf(ChatKind.BASIC_GROUP);
    List<Long> live = harness.liveIdsNewestFirst(chat.id());
    harness.telegram.deleteMessages(chat.id(), live.get(1), live.get(3));
    List<Long> received = pageAll(chat.id());
    assertThat(received).doesNotContain(live.get(1), live.get(3)).hasSize(live.size() - 2);
    assertThat(harness.telegram.groundTruth(chat.id()).get(live.get(1)).deleted()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0, 0, Parameter limit must be positive",
    "0, 1, 10, Parameter offset must be non-positive",
    "0, -100, 100, Parameter offset must be greater than -100",
    "0, -5, 4, Parameter offset must be greater than or equal to -limit",
    "-1048576, 0, 10, Invalid value of parameter from_message_id specified",
    "3, 0, 10, Invalid value of parameter from_message_id specified",
    "1048584, 0, 10, Invalid value of parameter from_message_id specified"
  })
  void badArgumentsAreRefused(long fromMessageId, int offset, int limit, String message) {
    SimChat chat = harness.chatOf(ChatKind.PRIVATE);
    ObjectNode error = harness.call(client, history(chat.id(), fromMessageId, offset, limit));
    assertThat(error.path("@type").asText()).isEqualTo("error");
    assertThat(error.path("code").asInt()).isEqualTo(400);
    assertThat(error.path("message").asText()).isEqualTo(message);
  }

  @Test
  void limitAboveOneHundredIsCapped() {
    SimChat chat = harness.chatOf(ChatKind.CHANNEL);
    harness.call(client, history(chat.id(), 0, 0, 1));
    assertThat(ids(harness.call(client, history(chat.id(), 0, 0, 500)))).hasSizeLessThanOrEqualTo(100);
  }

  @Test
  void badAndUnknownChatsAreRefused() {
    assertThat(harness.call(client, history(0, 0, 0, 10)).path("message").asText())
        .isEqualTo("Invalid chat identifier specified");
    assertThat(harness.call(client, history(777, 0, 0, 10)).path("message").asText()).isEqualTo("Chat not found");
  }

  @Test
  void chatNeverAnnouncedToThisClientIsNotFound() {
    int fresh = harness.td.createClientId();
    harness.call(fresh, TdHarness.tdlibParameters(""));
    SimChat chat = harness.chatOf(ChatKind.PRIVATE);
    assertThat(harness.call(fresh, history(chat.id(), 0, 0, 10)).path("message").asText()).isEqualTo("Chat not found");
  }

  @Test
  void inaccessibleChatAnswersChannelPrivateThenCantAccess() {
    SimChat chat = harness.chatOf(ChatKind.CHANNEL);
    harness.telegram.makeInaccessible(chat.id());
    assertThat(harness.call(client, history(chat.id(), 0, 0, 10)).path("message").asText())
        .isEqualTo("CHANNEL_PRIVATE");
    assertThat(harness.call(client, history(chat.id(), 0, 0, 10)).path("message").asText())
        .isEqualTo("Can't access the chat");
  }

  @Test
  void deletedChatLeavesTheListAndIsNotFound() {
    SimChat chat = harness.chatOf(ChatKind.SUPERGROUP);
    harness.clearUpdates();
    harness.telegram.deleteChat(chat.id());
    assertThat(harness.updates("updateChatPosition"))
        .anySatisfy(update -> {
          assertThat(update.path("chat_id").asLong()).isEqualTo(chat.id());
          assertThat(update.path("position").path("order").isTextual()).isTrue();
          assertThat(update.path("position").path("order").asText()).isEqualTo("0");
        });
    assertThat(harness.call(client, history(chat.id(), 0, 0, 10)).path("message").asText())
        .isEqualTo("Chat not found");
  }

  @Test
  void onlyLocalReturnsNothingWithoutAMessageDatabase() {
    SimChat chat = harness.chatOf(ChatKind.PRIVATE);
    ObjectNode page = harness.call(client, history(chat.id(), 0, 0, 10).put("only_local", true));
    assertThat(ids(page)).isEmpty();
  }

  @Test
  void getMessageAndMessageCount() {
    SimChat chat = harness.chatOf(ChatKind.SUPERGROUP);
    List<Long> live = harness.liveIdsNewestFirst(chat.id());
    ObjectNode message = harness.call(client, TdHarness.request("getMessage")
        .put("chat_id", chat.id()).put("message_id", live.get(0)));
    assertThat(message.path("id").asLong()).isEqualTo(live.get(0));
    assertThat(message.path("media_album_id").isTextual()).isTrue();
    assertThat(message.has("sending_state")).isFalse();
    ObjectNode missing = harness.call(client, TdHarness.request("getMessage")
        .put("chat_id", chat.id()).put("message_id", live.get(0) + (1L << 30)));
    assertThat(missing.path("code").asInt()).isEqualTo(404);
    assertThat(missing.path("message").asText()).isEqualTo("Not Found");
    ObjectNode count = harness.call(client, TdHarness.request("getChatMessageCount")
        .put("chat_id", chat.id())
        .put("return_local", false)
        .set("filter", TdHarness.request("searchMessagesFilterEmpty")));
    assertThat(count.path("count").asInt()).isEqualTo(live.size());
  }

  private List<Long> pageAll(long chatId) {
    List<Long> received = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    long from = 0;
    while (true) {
      List<Long> page = ids(harness.call(client, history(chatId, from, 0, 100)));
      if (page.isEmpty()) {
        return received;
      }
      for (long id : page) {
        assertThat(seen.add(id)).as("message %s received once", id).isTrue();
        received.add(id);
      }
      from = page.get(page.size() - 1);
    }
  }
}
