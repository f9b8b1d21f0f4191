package dev.tg.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.telegram.TdJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Drives a {@link SimulatedTdJson} through its raw JSON strings, as the node's receiver thread would, possibly through
 * a wrapper such as dev.tg.telegram.ConformingTdJson.
 */
final class TdHarness implements AutoCloseable {
  static final Instant EPOCH = Instant.parse("2025-06-01T00:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

  final ManualClock clock;
  final SimulatedTelegram telegram;
  final SimulatedTdJson simulated;
  final TdJson td;
  private final List<ObjectNode> updates = new ArrayList<>();
  private final Map<Long, ObjectNode> answers = new HashMap<>();
  private long nextExtra;

  TdHarness(WorldSpec spec, LoginScript login) {
    this(spec, login, UnaryOperator.identity());
  }

  TdHarness(WorldSpec spec, LoginScript login, UnaryOperator<TdJson> wrap) {
    clock = new ManualClock(EPOCH);
    telegram = new SimulatedTelegram(spec, EPOCH, clock);
    simulated = new SimulatedTdJson(telegram, login);
    td = wrap.apply(simulated);
  }

  /** A tiny world without live traffic, so every update a test sees is one it caused. */
  static TdHarness quiet() {
    return new TdHarness(WorldSpec.tiny(42).withLiveTraffic(0, 0, 0), LoginScript.AUTO);
  }

  static ObjectNode request(String type) {
    return JSON.createObjectNode().put("@type", type);
  }

  /** Parameters with secret chats on, so tests see the world's secret chats, and no message database. */
  static ObjectNode tdlibParameters(String databaseDirectory) {
    return request("setTdlibParameters")
        .put("database_directory", databaseDirectory)
        .put("use_message_database", false)
        .put("use_secret_chats", true)
        .put("api_id", 94575)
        .put("api_hash", "a3406de8d171bb422bb6ddf3bbd800e2")
        .put("system_language_code", "en")
        .put("device_model", "test")
        .put("application_version", "0.1");
  }

  /** A client logged in through the AUTO script, with both chat lists loaded. */
  int readyClientWithChats() {
    int client = td.createClientId();
    assertThat(call(client, tdlibParameters("")).path("@type").asText()).isEqualTo("ok");
    loadAll(client, "chatListMain");
    loadAll(client, "chatListArchive");
    return client;
  }

  /** loadChats until 404; returns how many calls it took. */
  int loadAll(int client, String chatList) {
    int calls = 0;
    ObjectNode answer;
    do {
      answer = call(client, request("loadChats").put("limit", 100).set("chat_list", request(chatList)));
      calls++;
    } while (answer.path("@type").asText().equals("ok"));
    assertThat(answer.path("code").asInt()).as("loadChats ends with 404: %s", answer).isEqualTo(404);
    return calls;
  }

  long send(int client, ObjectNode request) {
    long extra = ++nextExtra;
    td.send(client, request.deepCopy().put("@extra", extra).toString());
    return extra;
  }

  ObjectNode call(int client, ObjectNode request) {
    return await(send(client, request));
  }

  /** Receives until the answer with this {@code @extra} arrives; the updates on the way are kept. */
  ObjectNode await(long extra) {
    long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
    while (!answers.containsKey(extra)) {
      assertThat(System.nanoTime()).as("answer %s in time", extra).isLessThan(deadline);
      receive(0.05);
    }
    return answers.remove(extra);
  }

  /** Whether the answer has arrived, after taking in everything received so far. */
  boolean answered(long extra) {
    pump();
    return answers.containsKey(extra);
  }

  void pump() {
    while (receive(0)) {
      // drain
    }
  }

  private boolean receive(double timeoutSeconds) {
    String text = td.receive(timeoutSeconds);
    if (text == null) {
      return false;
    }
    ObjectNode object = parse(text);
    assertThat(object.has("@client_id")).as("@client_id on %s", text).isTrue();
    if (object.has("@extra")) {
      answers.put(object.get("@extra").asLong(), object);
    } else {
      updates.add(object);
    }
    return true;
  }

  List<ObjectNode> updates(String type) {
    pump();
    return updates.stream().filter(update -> update.path("@type").asText().equals(type)).toList();
  }

  List<ObjectNode> allUpdates() {
    pump();
    return List.copyOf(updates);
  }

  void clearUpdates() {
    pump();
    updates.clear();
  }

  static ObjectNode parse(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** A chat of the main list of the given kind. */
  SimChat chatOf(ChatKind kind) {
    return chatOf(kind, SimChat.ChatList.MAIN);
  }

  SimChat chatOf(ChatKind kind, SimChat.ChatList list) {
    return telegram.chats().stream()
        .filter(chat -> chat.kind() == kind && chat.list() == list)
        .findFirst()
        .orElseThrow();
  }

  /** The basic group upgraded to a supergroup. */
  SimChat upgradedBasicGroup() {
    return telegram.chats().stream()
        .filter(chat -> chat.kind() == ChatKind.BASIC_GROUP && chat.upgradeLinkedChatId() != 0)
        .findFirst()
        .orElseThrow();
  }

  /** Ids of the chat's messages that exist now, newest first. */
  List<Long> liveIdsNewestFirst(long chatId) {
    List<Long> ids = new ArrayList<>(telegram.groundTruth(chatId).values().stream()
        .filter(message -> !message.deleted())
        .map(SimMessage::id)
        .toList());
    Collections.reverse(ids);
    return ids;
  }

  static List<Long> ids(ObjectNode messages) {
    List<Long> ids = new ArrayList<>();
    messages.path("messages").forEach(message -> ids.add(message.path("id").asLong()));
    return ids;
  }

  static ObjectNode history(long chatId, long fromMessageId, int offset, int limit) {
    return request("getChatHistory")
        .put("chat_id", chatId)
        .put("from_message_id", fromMessageId)
        .put("offset", offset)
        .put("limit", limit)
        .put("only_local", false);
  }

  static ObjectNode search(long chatId, String query, long fromMessageId, int limit) {
    return request("searchChatMessages")
        .put("chat_id", chatId)
        .put("query", query)
        .put("from_message_id", fromMessageId)
        .put("offset", 0)
        .put("limit", limit);
  }

  @Override
  public void close() {
    telegram.close();
  }
}
