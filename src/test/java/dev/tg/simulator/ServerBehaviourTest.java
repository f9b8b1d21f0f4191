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
    harness.call(client, count());
    harness.call(client, count());
    long third = harness.send(client, count());
    assertThat(harness.answered(third)).isFalse();
    harness.clock.advance(Duration.ofSeconds(1));
    assertThat(harness.await(third).path("@type").asText()).isEqualTo("count");
    assertThat(harness.telegram.requestLog()).extracting(RequestRecord::outcome)
        .containsExactly("ok", "ok", "ok after flood wait 1s");
  }

  @Test
  void floodWaitGrowsWhileFloodingAndPastTheAutoWaitIsA429() {
    harness.telegram.setServerLimit(1, 0);
    harness.call(client, count());
    harness.send(client, count());
    harness.send(client, count());
    ObjectNode refused = harness.call(client, count());
    assertThat(refused.path("code").asInt()).isEqualTo(429);
    assertThat(refused.path("message").asText()).isEqualTo("Too Many Requests: retry after 4");
  }

  @Test
  void perChatLimitCountsRequestsOfOneChat() {
    harness.telegram.setServerLimit(0, 1);
    long otherChat = harness.chatOf(ChatKind.CHANNEL).id();
    harness.call(client, count());
    assertThat(harness.call(client, count(otherChat)).path("@type").asText()).isEqualTo("count");
    long sameChat = harness.send(client, count());
    assertThat(harness.answered(sameChat)).isFalse();
  }

  @Test
  void timedOutRequestsAreNeverAnswered() {
    harness.telegram.setFaults(new FaultProfile(1.0, 0, 1));
    long lost = harness.send(client, count());
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
    ObjectNode error = harness.call(client, count());
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
    long first = harness.send(client, count());
    long second = harness.send(client, request("getOption").put("name", "version"));
    assertThat(harness.answered(first)).isFalse();
    harness.clock.advance(Duration.ofMillis(200));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> harness.answered(second));
    List<ObjectNode> answers = List.of(harness.await(first), harness.await(second));
    assertThat(answers).extracting(answer -> answer.path("@type").asText()).containsExactly("count", "optionValueString");
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
      harness.call(client, count());
    }
    return harness.telegram.requestLog().stream().map(RequestRecord::outcome).toList();
  }

  private ObjectNode count() {
    return count(chatId);
  }

  private static ObjectNode count(long chat) {
    return request("getChatMessageCount")
        .put("chat_id", chat)
        .put("return_local", false)
        .set("filter", request("searchMessagesFilterEmpty"));
  }
}
