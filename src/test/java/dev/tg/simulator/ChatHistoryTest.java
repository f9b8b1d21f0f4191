package dev.tg.simulator;

import static dev.tg.simulator.TdHarness.history;
import static dev.tg.simulator.TdHarness.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    harness.clearUpdates();
    harness.telegram.makeInaccessible(chat.id());
    assertThat(harness.allUpdates()).isEmpty();
    assertThat(harness.call(client, history(chat.id(), 0, 0, 10)).path("message").asText())
        .isEqualTo("CHANNEL_PRIVATE");
    // ChatManager::on_get_channel_error emulates leaving: banned, out of the list
    assertThat(harness.updates("updateSupergroup")).singleElement().satisfies(update ->
        assertThat(update.path("supergroup").path("status").path("@type").asText())
            .isEqualTo("chatMemberStatusBanned"));
    assertThat(harness.updates("updateChatPosition")).singleElement().satisfies(update ->
        assertThat(update.path("position").path("order").asText()).isEqualTo("0"));
    harness.telegram.clearRequestLog();
    assertThat(harness.call(client, history(chat.id(), 0, 0, 10)).path("message").asText())
        .isEqualTo("Can't access the chat");
    assertThat(harness.telegram.requestLog()).singleElement().satisfies(record ->
        assertThat(record.outcome()).isEqualTo("error 400 Can't access the chat"));
  }

  @Test
  void deletedChatLeavesTheListStaysKnownAndIsRefused() {
    SimChat chat = harness.chatOf(ChatKind.SUPERGROUP);
    harness.clearUpdates();
    harness.telegram.deleteChat(chat.id());
    assertThat(harness.updates("updateChatPosition"))
        .singleElement()
        .satisfies(update -> {
          assertThat(update.path("chat_id").asLong()).isEqualTo(chat.id());
          assertThat(update.path("position").path("order").isTextual()).isTrue();
          assertThat(update.path("position").path("order").asText()).isEqualTo("0");
        });
    assertThat(harness.call(client, history(chat.id(), 0, 0, 10)).path("message").asText())
        .isEqualTo("Can't access the chat");
    ObjectNode known = harness.call(client, TdHarness.request("getChat").put("chat_id", chat.id()));
    assertThat(known.path("id").asLong()).isEqualTo(chat.id());
    assertThat(known.path("positions")).isEmpty();
  }

  @Test
  void onlyLocalReturnsNothingWithoutAMessageDatabase() {
    SimChat chat = harness.chatOf(ChatKind.PRIVATE);
    ObjectNode page = harness.call(client, history(chat.id(), 0, 0, 10).put("only_local", true));
    assertThat(ids(page)).isEmpty();
  }

  @Test
  void messageDatabaseKeepsWhatTheInstanceSawAndAnswersOnlyLocal(@TempDir Path database) {
    int withDatabase = harness.td.createClientId();
    harness.call(withDatabase, TdHarness.tdlibParameters(database.toString()).put("use_message_database", true));
    harness.loadAll(withDatabase, "chatListMain");
    SimChat chat = harness.chatOf(ChatKind.CHANNEL);
    List<Long> live = harness.liveIdsNewestFirst(chat.id());
    harness.call(withDatabase, history(chat.id(), 0, 0, 1));
    List<Long> served = ids(harness.call(withDatabase, history(chat.id(), live.get(0), 0, 50)));
    assertThat(served).isNotEmpty();
    long bytes = harness.telegram.messageDatabaseBytes(database);
    assertThat(database.resolve("db.sqlite")).exists();
    assertThat(bytes).isPositive();

    harness.telegram.clearRequestLog();
    List<Long> local = ids(harness.call(withDatabase, history(chat.id(), 0, 0, 100).put("only_local", true)));
    assertThat(local).containsExactlyElementsOf(live.subList(0, served.size() + 1));
    assertThat(harness.telegram.requestLog()).singleElement().satisfies(record ->
        assertThat(record.outcome()).isEqualTo("ok"));
    assertThat(ids(harness.call(withDatabase, history(chat.id(), live.get(0), -1, 3).put("only_local", true))))
        .containsExactlyElementsOf(live.subList(0, 3));

    harness.telegram.postMessage(chat.id(), "arrives after");
    assertThat(harness.telegram.messageDatabaseBytes(database)).isGreaterThanOrEqualTo(bytes);
    harness.telegram.deleteMessages(chat.id(), live.get(1));
    ObjectNode afterDelete = harness.call(withDatabase, history(chat.id(), 0, 0, 100).put("only_local", true));
    assertThat(ids(afterDelete)).doesNotContain(live.get(1));

    // an instance without use_message_database keeps nothing on disk
    Path plainDirectory = database.resolve("plain");
    int plain = harness.td.createClientId();
    harness.call(plain, TdHarness.tdlibParameters(plainDirectory.toString()));
    harness.loadAll(plain, "chatListMain");
    harness.call(plain, history(chat.id(), 0, 0, 10));
    assertThat(harness.telegram.messageDatabaseBytes(plainDirectory)).isZero();
    assertThat(plainDirectory.resolve("db.sqlite")).doesNotExist();
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
  }

  @ParameterizedTest
  @CsvSource({"searchMessagesFilterEmpty", "''"})
  void messageCountRefusesTheEmptyFilter(String filter) {
    ObjectNode request = TdHarness.request("getChatMessageCount").put("chat_id", harness.chatOf(ChatKind.PRIVATE).id());
    if (!filter.isEmpty()) {
      request.set("filter", TdHarness.request(filter));
    }
    ObjectNode refused = harness.call(client, request);
    assertThat(refused.path("code").asInt()).isEqualTo(400);
    assertThat(refused.path("message").asText()).isEqualTo("Can't use searchMessagesFilterEmpty");
  }

  @Test
  void messageCountCountsByContentThenKnowsItLocally() {
    SimChat chat = harness.chatOf(ChatKind.CHANNEL);
    long photos = harness.telegram.groundTruth(chat.id()).values().stream()
        .filter(message -> !message.deleted() && message.contentType().equals("messagePhoto")).count();
    long documents = harness.telegram.groundTruth(chat.id()).values().stream()
        .filter(message -> !message.deleted() && message.contentType().equals("messageDocument")).count();
    assertThat(photos).isPositive();
    assertThat(count(chat.id(), "searchMessagesFilterDocument", true)).isEqualTo(-1);
    assertThat(count(chat.id(), "searchMessagesFilterPhoto", false)).isEqualTo(photos);
    assertThat(count(chat.id(), "searchMessagesFilterDocument", false)).isEqualTo(documents);
    assertThat(count(chat.id(), "searchMessagesFilterPinned", false)).isZero();
    // Dialog::message_count_by_index is known now: answered without the server, return_local too
    harness.telegram.setFaults(new FaultProfile(0, 1.0, 1));
    assertThat(count(chat.id(), "searchMessagesFilterPhoto", false)).isEqualTo(photos);
    assertThat(count(chat.id(), "searchMessagesFilterPhoto", true)).isEqualTo(photos);
    assertThat(count(chat.id(), "searchMessagesFilterUrl", false)).isEqualTo(-500);
  }

  @Test
  void searchWithoutQueryCountsTheChatAndPagesLikeTheHistory() {
    SimChat chat = harness.chatOf(ChatKind.CHANNEL);
    List<Long> live = harness.liveIdsNewestFirst(chat.id());
    ObjectNode found = harness.call(client, TdHarness.search(chat.id(), "", 0, 20));
    assertThat(found.path("@type").asText()).isEqualTo("foundChatMessages");
    assertThat(found.path("total_count").asInt()).isEqualTo(live.size());
    assertThat(ids(found)).containsExactlyElementsOf(live.subList(0, 20));
    assertThat(found.path("next_from_message_id").asLong()).isEqualTo(live.get(19));
    ObjectNode next = harness.call(client, TdHarness.search(chat.id(), "", live.get(19), 20));
    assertThat(ids(next)).containsExactlyElementsOf(live.subList(20, 40));
  }

  @Test
  void searchWithAQueryMatchesTextsIgnoringCase() {
    SimChat chat = harness.chatOf(ChatKind.CHANNEL);
    SortedMap<Long, SimMessage> truth = harness.telegram.groundTruth(chat.id());
    SimMessage sample = truth.values().stream()
        .filter(message -> message.contentType().equals("messageText") && !message.deleted())
        .reduce((first, second) -> second).orElseThrow();
    String word = sample.text().split(" ")[0];
    List<Long> expected = harness.liveIdsNewestFirst(chat.id()).stream()
        .filter(id -> truth.get(id).text().toLowerCase(Locale.ROOT).contains(word.toLowerCase(Locale.ROOT)))
        .toList();
    ObjectNode found = harness.call(client, TdHarness.search(chat.id(), word.toUpperCase(Locale.ROOT), 0, 100));
    assertThat(found.path("total_count").asInt()).isEqualTo(expected.size());
    assertThat(ids(found)).containsExactlyElementsOf(expected.subList(0, Math.min(100, expected.size())));
  }

  @Test
  void searchInSecretChatsIsNotSupported() {
    ObjectNode refused = harness.call(client, TdHarness.search(harness.chatOf(ChatKind.SECRET).id(), "", 0, 10));
    assertThat(refused.path("code").asInt()).isEqualTo(500);
    assertThat(refused.path("message").asText()).isEqualTo("Message search is not supported in secret chats");
  }

  @Test
  void searchAnswersNoTotalWhenTheServerSaysSearchQueryEmpty() {
    harness.telegram.setSearchTotalsUnknown(true);
    ObjectNode found = harness.call(client, TdHarness.search(harness.chatOf(ChatKind.SUPERGROUP).id(), "", 0, 10));
    assertThat(found.path("@type").asText()).isEqualTo("foundChatMessages");
    assertThat(found.path("total_count").asInt()).isZero();
    assertThat(found.path("messages")).isEmpty();
    assertThat(found.path("next_from_message_id").asLong()).isZero();
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0, Parameter limit must be positive",
    "-10, 10, Parameter limit must be greater than -offset",
    "1, 10, Parameter offset must be non-positive"
  })
  void searchArgumentsAreChecked(int offset, int limit, String message) {
    ObjectNode refused = harness.call(client, TdHarness.search(harness.chatOf(ChatKind.PRIVATE).id(), "", 0, limit)
        .put("offset", offset));
    assertThat(refused.path("code").asInt()).isEqualTo(400);
    assertThat(refused.path("message").asText()).isEqualTo(message);
  }

  /** The count, or minus the error code. */
  private long count(long chatId, String filter, boolean returnLocal) {
    ObjectNode answer = harness.call(client, TdHarness.request("getChatMessageCount")
        .put("chat_id", chatId)
        .put("return_local", returnLocal)
        .set("filter", TdHarness.request(filter)));
    return answer.has("count") ? answer.path("count").asLong() : -answer.path("code").asLong();
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
