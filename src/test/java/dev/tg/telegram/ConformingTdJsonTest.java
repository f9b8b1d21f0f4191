package dev.tg.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.simulator.SimulatedTdJson;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checking {@link TdJson} on the simulator: it sees every request and object, and names a wrong request. */
class ConformingTdJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private SimulatedTelegram telegram;
  private ConformingTdJson td;
  private int client;
  private long lastExtra;
  private final List<Long> chatIds = new ArrayList<>();
  private final List<String> statesSeen = new ArrayList<>();

  @BeforeEach
  void start() {
    telegram = new SimulatedTelegram(WorldSpec.tiny(1), Instant.now(), Clock.systemUTC());
    td = new ConformingTdJson(new SimulatedTdJson(telegram), TdlibSchema.load(TdlibInstall.schema()));
  }

  @AfterEach
  void stop() {
    telegram.close();
  }

  @Test
  void aWrongRequestIsNamedAndTheWellFormedOnesAreNot(@TempDir Path sessionDir) {
    client = td.createClientId();
    call(TdClient.request("getOption").put("name", "version"));
    awaitState("authorizationStateWaitTdlibParameters");
    call(TdlibParameters.of(sessionDir, 94575, "a3406de8d171bb422bb6ddf3bbd800e2", new byte[32], true));
    awaitState("authorizationStateReady");
    ObjectNode loadChats = TdClient.request("loadChats").put("limit", 100);
    loadChats.putObject("chat_list").put("@type", "chatListMain");
    while (call(loadChats).path("@type").asText().equals("ok")) {
      // until 404: all chats are known
    }
    assertThat(chatIds).hasSizeGreaterThan(3);
    for (long chatId : chatIds.subList(0, 3)) {
      call(history(chatId).put("limit", 100));
    }
    td.execute(TdClient.request("getOption").put("name", "version").toString());
    call(history(chatIds.get(0)).put("limit", "100"));
    call(TdClient.request("close"));
    awaitState("authorizationStateClosed");

    System.out.println("Violations of TDLib 1.8.65's schema in a short simulator run (" + td.requestsChecked()
        + " requests, " + td.objectsChecked() + " objects):");
    td.violations().forEach(violation -> System.out.println("  " + violation));
    assertThat(td.violations()).contains("getChatHistory.limit: expected number, got string \"100\"");
    assertThat(td.violations()).filteredOn(violation -> violation.matches(
            "(getOption|setTdlibParameters|loadChats|getChatHistory|close)[.:].*"))
        .containsExactly("getChatHistory.limit: expected number, got string \"100\"");
    assertThat(td.requestsChecked()).isEqualTo(lastExtra + 1);
    assertThat(td.objectsChecked()).isGreaterThan(td.requestsChecked());
    assertThat(td.distinctRequestShapes()).extracting(JsonNode::toString).contains(
        history(chatIds.get(0)).put("limit", 100).toString(), history(chatIds.get(0)).put("limit", "100").toString());
    assertThat(td.distinctRequestShapes()).noneMatch(request -> request.has("@extra"));
  }

  private static ObjectNode history(long chatId) {
    return TdClient.request("getChatHistory").put("chat_id", chatId).put("from_message_id", 0).put("offset", 0)
        .put("only_local", false);
  }

  private void awaitState(String state) {
    if (!statesSeen.contains(state)) {
      await(object -> statesSeen.contains(state));
    }
  }

  private JsonNode call(ObjectNode request) {
    long extra = ++lastExtra;
    td.send(client, request.deepCopy().put("@extra", extra).toString());
    return await(object -> object.path("@extra").asLong() == extra);
  }

  /** Receives until an object matches; new chats and authorization states on the way are noted. */
  private JsonNode await(Predicate<JsonNode> wanted) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      String received = td.receive(0.1);
      if (received == null) {
        continue;
      }
      JsonNode object = read(received);
      if (object.path("@type").asText().equals("updateNewChat")) {
        chatIds.add(object.path("chat").path("id").asLong());
      } else if (object.path("@type").asText().equals("updateAuthorizationState")) {
        statesSeen.add(object.path("authorization_state").path("@type").asText());
      }
      if (wanted.test(object)) {
        return object;
      }
    }
    throw new AssertionError("nothing wanted arrived within " + PATIENCE + "; states seen: " + statesSeen);
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
