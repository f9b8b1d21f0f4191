package dev.tg.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.simulator.LoginScript;
import dev.tg.simulator.SimulatedTdJson;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request log: what the node sent TDLib and what came back, as JSON lines, without a secret in them. */
class RequestLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyRequestAndTheTypeOfEachAnswerAreLoggedWithoutSecrets() throws Exception {
    Path file = dir.resolve("requests.jsonl");
    List<JsonNode> lines = run(file, false);

    List<JsonNode> requests = lines.stream().filter(line -> line.has("request")).map(line -> line.get("request"))
        .toList();
    assertThat(requests).extracting(request -> request.path("@type").asText())
        .contains("getOption", "setTdlibParameters", "getChatHistory", "setAuthenticationPhoneNumber");
    assertThat(lines).allSatisfy(line -> {
      assertThat(line.path("account").asText()).isEqualTo("alice");
      assertThat(Instant.parse(line.path("ts").asText())).isBefore(Instant.now().plusSeconds(1));
    });
    JsonNode parameters = requests.stream().filter(r -> r.path("@type").asText().equals("setTdlibParameters"))
        .findFirst().orElseThrow();
    assertThat(parameters.path("api_hash").asText()).isEqualTo("***");
    assertThat(parameters.path("database_encryption_key").asText()).isEqualTo("***");
    assertThat(parameters.path("api_id").asInt()).as("what is no secret stays").isEqualTo(94575);
    JsonNode phone = requests.stream().filter(r -> r.path("@type").asText().equals("setAuthenticationPhoneNumber"))
        .findFirst().orElseThrow();
    assertThat(phone.path("phone_number").asText()).isEqualTo("***");

    List<JsonNode> answers = lines.stream().filter(line -> line.has("answer")).map(line -> line.get("answer"))
        .toList();
    assertThat(answers).extracting(answer -> answer.path("@type").asText()).contains("messages", "error");
    assertThat(answers).allSatisfy(answer -> assertThat(answer.size()).as("only type, extra, error").isLessThan(5));
    JsonNode error = answers.stream().filter(a -> a.path("@type").asText().equals("error")).findFirst().orElseThrow();
    assertThat(error.path("code").asInt()).as("an error's code is no secret").isEqualTo(400);
    JsonNode code = requests.stream().filter(r -> r.path("@type").asText().equals("checkAuthenticationCode"))
        .findFirst().orElseThrow();
    assertThat(code.path("code").asText()).isEqualTo("***");
    assertThat(lines).noneMatch(line -> line.has("update"));
    String text = Files.readString(file);
    assertThat(text).doesNotContain("secret-hash").doesNotContain("15551234567");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void aFullLogHasAnswersAndUpdatesWholeAndStillNoSecret() throws Exception {
    Path file = dir.resolve("full.jsonl");
    List<JsonNode> lines = run(file, true);

    JsonNode page = lines.stream().filter(line -> line.path("answer").path("@type").asText().equals("messages"))
        .map(line -> line.get("answer")).findFirst().orElseThrow();
    assertThat(page.path("messages").isArray()).isTrue();
    List<JsonNode> users = lines.stream().filter(line -> line.path("update").path("@type").asText()
        .equals("updateUser")).toList();
    assertThat(users).isNotEmpty().allSatisfy(line ->
        assertThat(line.path("update").path("user").path("phone_number").asText()).isIn("***", ""));
    assertThat(Files.readString(file)).doesNotContain("secret-hash");
  }

  /** A simulated client logged in by phone, one history page and one refused request, through a logging dispatcher. */
  private List<JsonNode> run(Path file, boolean full) throws Exception {
    SimulatedTelegram world = new SimulatedTelegram(WorldSpec.tiny(3), Instant.now(), Clock.systemUTC());
    RequestLog log = RequestLog.open(file, full);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    List<Long> announced = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (TdDispatcher dispatcher = new TdDispatcher(new SimulatedTdJson(world, LoginScript.code("12345")), "node", log)) {
      TdClient[] client = new TdClient[1];
      client[0] = dispatcher.createClient("alice", update -> {
        if (update.path("@type").asText().equals("updateNewChat")) {
          announced.add(update.path("chat").path("id").asLong());
        }
        switch (update.path("authorization_state").path("@type").asText()) {
          case "authorizationStateWaitTdlibParameters" -> client[0].send(
              TdlibParameters.of(dir.resolve("session"), 94575, "secret-hash", new byte[32], true));
          case "authorizationStateWaitPhoneNumber" -> client[0].send(
              TdClient.request("setAuthenticationPhoneNumber").put("phone_number", "15551234567"));
          case "authorizationStateWaitCode" -> client[0].send(
              TdClient.request("checkAuthenticationCode").put("code", "12345"));
          case "authorizationStateReady" -> ready.complete(null);
          default -> { }
        }
      });
      client[0].send(TdClient.request("getOption").put("name", "version"));
      ready.get(10, TimeUnit.SECONDS);
      ObjectNode loadChats = TdClient.request("loadChats").put("limit", 10);
      loadChats.putObject("chat_list").put("@type", "chatListMain");
      client[0].send(loadChats, Duration.ofSeconds(10)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      long chatId = announced.get(0);
      client[0].send(TdClient.request("getChatHistory").put("chat_id", chatId).put("limit", 10),
          Duration.ofSeconds(10)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      client[0].send(TdClient.request("getChatHistory").put("chat_id", 1).put("limit", 10), Duration.ofSeconds(10))
          .toCompletableFuture().handle((ok, failure) -> null).get(10, TimeUnit.SECONDS);
    } finally {
      log.close();
      world.close();
    }
    return lines(file);
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }
}
