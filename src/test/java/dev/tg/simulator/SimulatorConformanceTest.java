package dev.tg.simulator;

import static dev.tg.simulator.TdHarness.history;
import static dev.tg.simulator.TdHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.telegram.ConformingTdJson;
import dev.tg.telegram.TdJson;
import dev.tg.telegram.TdlibInstall;
import dev.tg.telegram.TdlibSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything the simulator emits, and every request these tests send, conforms to TDLib 1.8.65's schema
 * (tdlib-types.d.ts, checked by {@link ConformingTdJson}): a full session over a world with every kind of chat.
 */
class SimulatorConformanceTest {
  private static TdlibSchema schema;
  private final List<TdHarness> harnesses = new ArrayList<>();
  private final List<ConformingTdJson> checked = new ArrayList<>();

  @TempDir
  Path databaseDirectory;

  @BeforeAll
  static void loadSchema() {
    schema = TdlibSchema.load(TdlibInstall.schema());
    assertThat(schema.version()).isEqualTo("1.8.65");
  }

  @AfterEach
  void stop() {
    harnesses.forEach(TdHarness::close);
  }

  @Test
  void aFullSessionConforms() {
    TdHarness harness = checkedHarness(WorldSpec.tiny(13).withLiveTraffic(2, 0.1, 0.05),
        LoginScript.code("24680").withEmail().withPassword("pass"), UnaryOperator.identity());
    int client = login(harness);
    session(harness, client);
    assertNoViolations(200, 1_000);
  }

  @Test
  void everyLoginStateConforms() {
    TdHarness registration = checkedHarness(WorldSpec.tiny(2).withLiveTraffic(0, 0, 0),
        LoginScript.code("111").withRegistration(), UnaryOperator.identity());
    int client = registration.td.createClientId();
    registration.call(client, request("getOption").put("name", "version"));
    registration.call(client, TdHarness.tdlibParameters(""));
    registration.call(client, request("getAuthorizationState"));
    registration.call(client, request("setAuthenticationPhoneNumber").put("phone_number", "+1 555 0100"));
    registration.call(client, request("checkAuthenticationCode").put("code", "000"));
    registration.call(client, request("checkAuthenticationCode").put("code", "111"));
    registration.call(client, request("registerUser").put("first_name", "Dee").put("last_name", "")
        .put("disable_notification", false));
    registration.call(client, request("logOut"));

    TdHarness premium = checkedHarness(WorldSpec.tiny(2).withLiveTraffic(0, 0, 0),
        LoginScript.code("111").withPremiumPurchase(), UnaryOperator.identity());
    int other = premium.td.createClientId();
    premium.call(other, TdHarness.tdlibParameters(""));
    premium.call(other, request("setAuthenticationPhoneNumber").put("phone_number", "15550100"));
    premium.call(other, request("getAuthorizationState"));
    premium.call(other, request("requestQrCodeAuthentication").set("other_user_ids", TdHarness.JSON.createArrayNode()));
    premium.simulated.confirmQr();
    premium.call(other, request("getMe"));
    assertThat(premium.updates("updateAuthorizationState")).extracting(
            update -> update.path("authorization_state").path("@type").asText())
        .contains("authorizationStateWaitPremiumPurchase", "authorizationStateWaitOtherDeviceConfirmation",
            "authorizationStateReady");
    assertNoViolations(10, 20);
  }

  @Test
  void aWrongObjectOnTheSimulatorsPathIsReported() {
    TdHarness harness = checkedHarness(WorldSpec.tiny(13).withLiveTraffic(0, 0, 0), LoginScript.AUTO,
        SimulatorConformanceTest::withoutFirstChatPositions);
    int client = harness.td.createClientId();
    harness.call(client, TdHarness.tdlibParameters(""));
    harness.loadAll(client, "chatListMain");
    assertThat(checked.get(0).violations()).containsExactly("updateNewChat.chat.positions: missing required field");
  }

  /** The simulator's path with one field broken: the first chat announced has lost its positions. */
  private static TdJson withoutFirstChatPositions(TdJson simulated) {
    return new TdJson() {
      private boolean corrupted;

      @Override
      public int createClientId() {
        return simulated.createClientId();
      }

      @Override
      public void send(int clientId, String request) {
        simulated.send(clientId, request);
      }

      @Override
      public String receive(double timeoutSeconds) {
        String received = simulated.receive(timeoutSeconds);
        if (received == null || corrupted || !received.contains("\"updateNewChat\"")) {
          return received;
        }
        corrupted = true;
        ObjectNode update = TdHarness.parse(received);
        ((ObjectNode) update.get("chat")).remove("positions");
        return update.toString();
      }

      @Override
      public String execute(String request) {
        return simulated.execute(request);
      }
    };
  }

  private TdHarness checkedHarness(WorldSpec spec, LoginScript login, UnaryOperator<TdJson> onTheWay) {
    TdHarness harness = new TdHarness(spec, login, simulated -> {
      ConformingTdJson conforming = new ConformingTdJson(onTheWay.apply(simulated), schema);
      checked.add(conforming);
      return conforming;
    });
    harnesses.add(harness);
    return harness;
  }

  private void assertNoViolations(long minRequests, long minObjects) {
    for (ConformingTdJson conforming : checked) {
      assertThat(conforming.violations()).as("violations of TDLib 1.8.65's schema").isEmpty();
    }
    assertThat(checked.stream().mapToLong(ConformingTdJson::requestsChecked).sum()).isGreaterThan(minRequests);
    assertThat(checked.stream().mapToLong(ConformingTdJson::objectsChecked).sum()).isGreaterThan(minObjects);
  }

  private int login(TdHarness harness) {
    int client = harness.td.createClientId();
    harness.call(client, request("getOption").put("name", "version"));
    harness.td.execute(request("getOption").put("name", "version").toString());
    harness.td.execute(request("setLogVerbosityLevel").put("new_verbosity_level", 1).toString());
    harness.call(client, request("setTdlibParameters")
        .put("use_test_dc", false)
        .put("database_directory", databaseDirectory.toString())
        .put("files_directory", "")
        .put("database_encryption_key", "")
        .put("use_file_database", true)
        .put("use_chat_info_database", true)
        .put("use_message_database", true)
        .put("use_secret_chats", true)
        .put("api_id", 94575)
        .put("api_hash", "a3406de8d171bb422bb6ddf3bbd800e2")
        .put("system_language_code", "en")
        .put("device_model", "test")
        .put("system_version", "")
        .put("application_version", "0.1"));
    harness.call(client, request("setAuthenticationPhoneNumber").put("phone_number", "15550100"));
    harness.call(client, request("setAuthenticationEmailAddress").put("email_address", "d@example.com"));
    harness.call(client, request("checkAuthenticationEmailCode")
        .set("code", request("emailAddressAuthenticationCode").put("code", "24680")));
    harness.call(client, request("checkAuthenticationCode").put("code", "24680"));
    harness.call(client, request("checkAuthenticationPassword").put("password", "wrong"));
    harness.call(client, request("checkAuthenticationPassword").put("password", "pass"));
    return client;
  }

  private static void session(TdHarness harness, int client) {
    SimulatedTelegram telegram = harness.telegram;
    harness.loadAll(client, "chatListMain");
    harness.loadAll(client, "chatListArchive");
    harness.call(client, request("getChats").put("limit", 5).set("chat_list", request("chatListMain")));
    harness.call(client, request("getChats").put("limit", 5).set("chat_list", request("chatListArchive")));
    for (SimChat chat : telegram.chats()) {
      if (chat.list() != SimChat.ChatList.NONE) {
        everyReadOf(harness, client, chat);
      }
    }
    for (SimChat chat : telegram.foreignChats()) {
      harness.call(client, history(chat.id(), 0, 0, 5));
    }
    harness.call(client, request("getMe"));
    harness.call(client, request("getContacts"));
    harness.call(client, request("getUser").put("user_id", telegram.contactIds().get(0)));

    SimChat basic = harness.upgradedBasicGroup();
    harness.call(client, request("createBasicGroupChat").put("basic_group_id", basic.entityId()).put("force", true));
    harness.call(client, history(basic.id(), 0, 0, 20));

    live(harness, client);
    errors(harness, client);
    harness.call(client, request("close"));
  }

  /** Every read of a chat: the chat, its group, opening, history pages, counts and searches. */
  private static void everyReadOf(TdHarness harness, int client, SimChat chat) {
    harness.call(client, request("getChat").put("chat_id", chat.id()));
    switch (chat.kind()) {
      case BASIC_GROUP -> harness.call(client, request("getBasicGroup").put("basic_group_id", chat.entityId()));
      case SUPERGROUP, CHANNEL -> {
        harness.call(client, request("getSupergroup").put("supergroup_id", chat.entityId()));
        harness.call(client, request("getSupergroupFullInfo").put("supergroup_id", chat.entityId()));
      }
      case SECRET -> harness.call(client, request("getSecretChat").put("secret_chat_id", chat.entityId()));
      case PRIVATE -> harness.call(client, request("getUser").put("user_id", chat.entityId()));
    }
    harness.call(client, request("openChat").put("chat_id", chat.id()));
    List<Long> first = TdHarness.ids(harness.call(client, history(chat.id(), 0, 0, 1)));
    if (!first.isEmpty()) {
      harness.call(client, history(chat.id(), first.get(0), 0, 100));
      harness.call(client, history(chat.id(), first.get(0), -5, 10));
      harness.call(client, request("getMessage").put("chat_id", chat.id()).put("message_id", first.get(0)));
    }
    harness.call(client, history(chat.id(), 0, 0, 20).put("only_local", true));
    harness.call(client, TdHarness.search(chat.id(), "", 0, 20));
    harness.call(client, TdHarness.search(chat.id(), "the", 0, 20)
        .set("filter", request("searchMessagesFilterUrl")));
    for (String filter : List.of("searchMessagesFilterPhoto", "searchMessagesFilterEmpty")) {
      harness.call(client, request("getChatMessageCount")
          .put("chat_id", chat.id())
          .put("return_local", false)
          .set("filter", request(filter)));
    }
    harness.call(client, request("closeChat").put("chat_id", chat.id()));
  }

  /** The world moving: messages, edits, previews, deletions, scheduling, members, lists, network, contacts. */
  private static void live(TdHarness harness, int client) {
    SimulatedTelegram telegram = harness.telegram;
    long direct = harness.chatOf(ChatKind.PRIVATE).id();
    long group = harness.chatOf(ChatKind.BASIC_GROUP).id();
    SimChat supergroup = harness.chatOf(ChatKind.SUPERGROUP);
    harness.call(client, request("openChat").put("chat_id", supergroup.id()));
    long posted = telegram.postMessage(direct, "hello https://example.org/p/1");
    telegram.postMessage(supergroup.id(), "in the open supergroup");
    telegram.editMessage(direct, posted, "edited");
    telegram.postMessage(group, "see https://example.org/p/2");
    telegram.skipUpdates(supergroup.id(), 3);
    telegram.unloadFromCache(group, telegram.groundTruth(group).lastKey());
    telegram.deleteMessages(group, telegram.groundTruth(group).lastKey());
    telegram.scheduleMessage(direct, "later", harness.clock.instant().plusSeconds(30));
    telegram.setMemberCount(supergroup.id(), 77);
    telegram.setMemberCount(group, 9);
    telegram.leaveChat(supergroup.id());
    telegram.rejoinChat(supergroup.id());
    telegram.leaveChat(group);
    telegram.rejoinChat(group);
    telegram.deleteChat(harness.chatOf(ChatKind.PRIVATE, SimChat.ChatList.ARCHIVE).id());
    long added = telegram.addContact("Zoë", "Ng");
    telegram.renameUser(added, "Zoe", "Ng");
    telegram.removeContact(added);
    telegram.requestSecretChat(added);
    for (int minute = 0; minute < 5; minute++) {
      harness.clock.advance(Duration.ofMinutes(1));
      harness.call(client, request("getOption").put("name", "version"));
    }
    telegram.outage(Duration.ofSeconds(20));
    telegram.postMessage(direct, "while away");
    long held = harness.send(client, TdHarness.search(direct, "", 0, 5));
    harness.clock.advance(Duration.ofSeconds(20));
    harness.await(held);
    List<String> types = harness.allUpdates().stream().map(update -> update.path("@type").asText()).toList();
    assertThat(types).contains("updateMessageContent", "updateMessageEdited", "updateDeleteMessages",
        "updateChatHasScheduledMessages", "updateChatPosition", "updateSupergroupFullInfo", "updateBasicGroup",
        "updateSecretChat", "updateConnectionState");
    assertThat(harness.updates("updateConnectionState")).extracting(
            update -> update.path("state").path("@type").asText())
        .contains("connectionStateUpdating", "connectionStateWaitingForNetwork", "connectionStateConnecting");
  }

  /** The refusals: flood 429, CHANNEL_PRIVATE, Chat not found, invalid ids and arguments, missing messages. */
  private static void errors(TdHarness harness, int client) {
    SimulatedTelegram telegram = harness.telegram;
    SimChat channel = harness.chatOf(ChatKind.CHANNEL);
    telegram.makeInaccessible(channel.id());
    harness.call(client, history(channel.id(), 0, 0, 10));
    harness.call(client, history(channel.id(), 0, 0, 10));
    harness.call(client, history(777, 0, 0, 10));
    harness.call(client, history(0, 0, 0, 10));
    long direct = harness.chatOf(ChatKind.PRIVATE).id();
    harness.call(client, history(direct, 3, 0, 10));
    harness.call(client, history(direct, 0, 0, 0));
    harness.call(client, request("getMessage").put("chat_id", direct).put("message_id", 1L << 40));
    harness.call(client, request("createBasicGroupChat").put("basic_group_id", 12).put("force", false));
    telegram.setServerLimit(1, 0);
    telegram.setTdlibTotalWaitLimit(Duration.ZERO);
    List<JsonNode> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(harness.call(client, TdHarness.search(direct, "", 0, 5)));
    }
    assertThat(answers).anySatisfy(answer -> assertThat(answer.path("code").asInt()).isEqualTo(429));
  }
}
