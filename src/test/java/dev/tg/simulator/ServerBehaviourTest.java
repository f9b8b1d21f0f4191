package dev.tg.simulator;

import static dev.tg.simulator.TdHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flood limits, faults, latency and the request log. */
class ServerBehaviourTest {
  private TdHarness harness;
  private int client;
  private long chatId;

  @BeforeEach
  void start() {
    harness = TdHarness.quiet();
    client = harness.readyClientWithChats();
    chatId = harness.chatOf(ChatKind.SUPERGROUP).id();
    harness.telegram.clearRequestLog();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void shortFloodWaitIsASlowAnswer() {
    harness.telegram.setServerLimit(2, 0);
    harness.call(client, search());
    harness.call(client, search());
    long third = harness.send(client, search());
    assertThat(harness.answered(third)).isFalse();
    harness.clock.advance(Duration.ofSeconds(1));
    assertThat(harness.await(third).path("@type").asText()).isEqualTo("foundChatMessages");
    assertThat(harness.telegram.requestLog()).extracting(RequestRecord::outcome)
        .containsExactly("ok", "ok", "ok after flood wait 1s");
  }

  @Test
  void aFloodRightAfterAFloodWaitDoublesAndTheWaitsOfOneRequestAddUpToA429() {
    harness.telegram.setServerLimit(1, 0);
    harness.telegram.setTdlibTotalWaitLimit(Duration.ofSeconds(2));
    harness.call(client, search());
    long second = harness.send(client, search());
    long third = harness.send(client, search());
    harness.clock.advance(Duration.ofSeconds(1));
    // both resent when the 1 s wait ends: one gets through, the other floods again and is told 2 s, which would
    // make 3 s of waiting in all
    harness.await(second);
    harness.await(third);
    assertThat(harness.telegram.requestLog()).extracting(RequestRecord::outcome).containsExactlyInAnyOrder(
        "ok", "ok after flood wait 1s", "error 429 Too Many Requests: retry after 2 after flood wait 1s");
  }

  @Test
  void openingASupergroupOrChannelAsksTheServer() {
    long channel = harness.chatOf(ChatKind.CHANNEL).id();
    SimChat small = harness.telegram.chats().stream()
        .filter(chat -> chat.kind() == ChatKind.SUPERGROUP && chat.memberCount() < 195).findFirst().orElseThrow();
    harness.call(client, request("openChat").put("chat_id", channel));
    harness.call(client, request("openChat").put("chat_id", small.id()));
    harness.call(client, request("openChat").put("chat_id", channel));
    harness.call(client, request("getOption").put("name", "version"));
    assertThat(harness.telegram.requestLog())
        .extracting(RequestRecord::type, RequestRecord::chatId, RequestRecord::outcome)
        .containsExactly(
            tuple("openChat", channel, "ok"), tuple("updates.getChannelDifference", channel, "ok"),
            tuple("openChat", small.id(), "ok"), tuple("updates.getChannelDifference", small.id(), "ok"),
            tuple("channels.getParticipants", small.id(), "ok"),
            tuple("openChat", channel, "ok"), tuple("getOption", 0L, "ok"));
  }

  @Test
  void openingChatsSpendsTheFloodBudget() {
    harness.telegram.setServerLimit(2, 0);
    harness.call(client, request("openChat").put("chat_id", harness.chatOf(ChatKind.CHANNEL).id()));
    harness.call(client, search());
    long flooded = harness.send(client, search());
    assertThat(harness.answered(flooded)).isFalse();
  }

  @Test
  void perChatLimitCountsRequestsOfOneChat() {
    harness.telegram.setServerLimit(0, 1);
    long otherChat = harness.chatOf(ChatKind.CHANNEL).id();
    harness.call(client, search());
    assertThat(harness.call(client, search(otherChat)).path("@type").asText()).isEqualTo("foundChatMessages");
    long sameChat = harness.send(client, search());
    assertThat(harness.answered(sameChat)).isFalse();
  }

  @Test
  void timedOutRequestsAreNeverAnswered() {
    harness.telegram.setFaults(new FaultProfile(1.0, 0, 1));
    long lost = harness.send(client, search());
    // answers come in order, so once the later local request is answered the lost one never will be
    harness.call(client, request("getOption").put("name", "version"));
    harness.clock.advance(Duration.ofMinutes(5));
    harness.call(client, request("getOption").put("name", "version"));
    assertThat(harness.answered(lost)).isFalse();
    assertThat(harness.telegram.requestLog().get(0).outcome()).isEqualTo("timeout");
  }

  @Test
  void serverErrorsAreFiveHundreds() {
    harness.telegram.setFaults(new FaultProfile(0, 1.0, 1));
    ObjectNode error = harness.call(client, search());
    assertThat(error.path("code").asInt()).isEqualTo(500);
    assertThat(error.path("message").asText()).isEqualTo("Requested data is inaccessible");
  }

  @Test
  void faultsFollowTheirSeed() {
    assertThat(faultPattern(11)).isEqualTo(faultPattern(11)).isNotEqualTo(faultPattern(12));
  }

  @Test
  void roundTripDelaysAnswersInOrder() {
    harness.telegram.setRtt(Duration.ofMillis(200));
    long first = harness.send(client, search());
    long second = harness.send(client, request("getOption").put("name", "version"));
    assertThat(harness.answered(first)).isFalse();
    harness.clock.advance(Duration.ofMillis(200));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> harness.answered(second));
    List<ObjectNode> answers = List.of(harness.await(first), harness.await(second));
    assertThat(answers).extracting(answer -> answer.path("@type").asText())
        .containsExactly("foundChatMessages", "optionValueString");
  }

  @Test
  void requestLogRecordsEveryRequest() {
    harness.call(client, TdHarness.history(chatId, 0, -2, 30));
    harness.call(client, TdHarness.history(chatId, 0, 0, 0));
    assertThat(harness.telegram.requestLog()).satisfiesExactly(
        record -> {
          assertThat(record.type()).isEqualTo("getChatHistory");
          assertThat(record.chatId()).isEqualTo(chatId);
          assertThat(record.offset()).isEqualTo(-2);
          assertThat(record.limit()).isEqualTo(30);
          assertThat(record.clientId()).isEqualTo(client);
          assertThat(record.sentAt()).isEqualTo(TdHarness.EPOCH);
          assertThat(record.outcome()).isEqualTo("ok");
        },
        record -> assertThat(record.outcome()).isEqualTo("error 400 Parameter limit must be positive"));
  }

  private List<String> faultPattern(long seed) {
    harness.telegram.setFaults(new FaultProfile(0, 0.5, seed));
    harness.telegram.clearRequestLog();
    for (int i = 0; i < 20; i++) {
      harness.call(client, search());
    }
    return harness.telegram.requestLog().stream().map(RequestRecord::outcome).toList();
  }

  /** A request that always goes to the server: a search without query. */
  private ObjectNode search() {
    return search(chatId);
  }

  private static ObjectNode search(long chat) {
    return TdHarness.search(chat, "", 0, 10);
  }
}
