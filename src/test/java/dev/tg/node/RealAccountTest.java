package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tg.simulator.ChatKind;
import dev.tg.simulator.SimChat;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real account does that the node must handle (issue 9, part 2), on one node: a world whose server never
 * tells a chat's size, with archived chats, chats the user is not in, an upgraded group, secret chats offered and
 * TDLib's routine Updating every second. Each test changes only chats of its own.
 */
class RealAccountTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;

  private static SimulatedTelegram world;
  private static TestNode node;

  @BeforeAll
  static void syncTheWholeAccount() {
    world = new SimulatedTelegram(WorldSpec.tiny(43).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    world.setSearchTotalsUnknown(true);
    world.setRoutineUpdates(Duration.ofSeconds(1));
    Map<String, Object> settings = TestNode.fast();
    settings.put("tg.telegram.request-log", dataDir.resolve("requests.jsonl").toString());
    node = TestNode.start(dataDir.resolve("data"), world, settings);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(node::enabledChatsComplete);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** Item 1: the server answers every count with 0, and every chat the node syncs whole still reaches its start. */
  @Test
  void historyReachesTheStartOfEveryChatThoughTheServerNeverTellsItsSize() {
    List<Long> whole = GroundTruth.chatsWhere(node, "sync_priority = 1");
    assertThat(whole).hasSizeGreaterThan(5);
    assertThat(GroundTruth.problems(node, whole, true)).isEmpty();
    assertThat(world.requestLog()).as("counts asked").anyMatch(request -> request.type().equals("searchChatMessages"))
        .noneMatch(request -> request.type().equals("getChatMessageCount"));
  }

  /** Item 2. */
  @Test
  void archivedChatsAreLoadedAndSyncedByTheSameTiers() {
    List<SimChat> archived = chats(chat -> chat.list() == SimChat.ChatList.ARCHIVE);
    assertThat(archived).isNotEmpty();
    assertThat(requestsLogged()).extracting(line -> line.path("request")).as("the archive list loaded")
        .anyMatch(request -> request.path("@type").asText().equals("loadChats")
            && request.path("chat_list").path("@type").asText().equals("chatListArchive"));
    for (SimChat chat : archived) {
      assertThat(node.get("/chats/" + chat.id()).path("progress").path("priority").asText())
          .as("tier of archived chat %d", chat.id()).isEqualTo(tierOf(chat));
    }
    List<Long> whole = archived.stream().filter(chat -> tierOf(chat).equals("P1")).map(SimChat::id).toList();
    assertThat(whole).isNotEmpty();
    assertThat(GroundTruth.problems(node, whole, true)).isEmpty();
  }

  /** Item 3: a chat announced without positions (a forward's origin) is recorded, never synced nor opened. */
  @Test
  void chatsTheUserIsNotInAreRecordedButNeverSyncedNorOpened() {
    List<SimChat> announced = world.foreignChats().stream()
        .filter(chat -> !node.query("SELECT 1 FROM chats WHERE chat_id = ?", chat.id()).isEmpty()).toList();
    assertThat(announced).as("forward origins recorded").isNotEmpty();
    for (SimChat chat : announced) {
      assertThat(node.query("SELECT 1 FROM chat_sync_state WHERE chat_id = ?", chat.id())).as("synced").isEmpty();
      assertThat(world.requestLog()).as("requests naming chat %d", chat.id())
          .noneMatch(request -> request.chatId() == chat.id() && !request.type().equals("getChat"));
    }
  }

  /** Item 3: leaving (order "0" in every list) stops the sync and says so; rejoining resumes from the cursors. */
  @Test
  void leavingAChatStopsItsSyncAndRejoiningResumesFromItsCursors() {
    SimChat group = chats(chat -> chat.kind() == ChatKind.SUPERGROUP && chat.memberCount() <= 100).get(0);
    long cursorBefore = forwardCursor(group.id());
    world.leaveChat(group.id());
    await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(group.id()).equals("left"));

    world.rejoinChat(group.id());
    await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(group.id()).equals("complete"));
    world.clearRequestLog();
    long posted = world.postMessage(group.id(), "back again");
    await().atMost(Duration.ofSeconds(10)).until(() -> forwardCursor(group.id()) == posted);
    assertThat(cursorBefore).isLessThan(posted);
    assertThat(GroundTruth.problems(node, List.of(group.id()), true)).isEmpty();
    assertThat(world.requestLog()).as("no history fetched again after the rejoin")
        .noneMatch(request -> request.type().equals("getChatHistory") && request.chatId() == group.id()
            && request.fromMessageId() != 0 && request.fromMessageId() < cursorBefore);
  }

  /** Item 4: a scheduled message is apart from the history; the message it becomes is stored with its real id. */
  @Test
  void aScheduledMessageIsArchivedOnlyOnceSentWithItsRealId() {
    SimChat direct = chats(chat -> chat.kind() == ChatKind.PRIVATE).get(0);
    long scheduled = world.scheduleMessage(direct.id(), "see you at noon", Instant.now().plusSeconds(2));
    await().atMost(Duration.ofSeconds(10)).until(() -> !node.query(
        "SELECT 1 FROM messages WHERE chat_id = ? AND text = 'see you at noon'", direct.id()).isEmpty());
    long sent = world.groundTruth(direct.id()).lastKey();
    assertThat(node.query("SELECT message_id FROM messages WHERE chat_id = ? AND text = 'see you at noon'",
        direct.id())).extracting(row -> ((Number) row.get("message_id")).longValue()).containsExactly(sent);
    assertThat(node.query("SELECT 1 FROM messages WHERE message_id = ?", scheduled)).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> forwardCursor(direct.id()) == sent);
  }

  /** Item 5: with use_secret_chats false TDLib never accepts a secret chat for the user, nor does the node. */
  @Test
  void aSecretChatOfferedIsNeverAccepted() throws Exception {
    JsonNode parameters = tdlibParameters();
    assertThat(parameters.path("use_secret_chats").asBoolean(true)).isFalse();
    long offered = world.requestSecretChat(world.contactIds().get(0));
    // TDLib with secret chats on would accept it 2 s later (SecretChatsManager::on_update_chat)
    Thread.sleep(2_500);
    assertThat(world.acceptedSecretChats()).isZero();
    assertThat(node.query("SELECT 1 FROM chats WHERE chat_id = ?", offered)).isEmpty();
  }

  /** Item 7: Updating then Ready, every second, brings no catch-up of any chat. */
  @Test
  void routineUpdatingBringsNoCatchUp() {
    world.clearRequestLog();
    long before = world.routineUpdatesSent();
    await().atMost(Duration.ofSeconds(15)).until(() -> world.routineUpdatesSent() >= before + 3);
    assertThat(world.requestLog()).as("history asked during routine updates")
        .noneMatch(request -> request.type().equals("getChatHistory"));
  }

  /** Item 10: a link preview arriving changes the row's content and makes no version. */
  @Test
  void aLinkPreviewArrivingIsNoEdit() {
    SimChat direct = chats(chat -> chat.kind() == ChatKind.PRIVATE).get(1);
    long id = world.postMessage(direct.id(), "look at https://example.org/p/abc please");
    await().atMost(Duration.ofSeconds(15)).until(() -> node.query(
        "SELECT raw_json FROM messages WHERE chat_id = ? AND message_id = ?", direct.id(), id).stream()
        .anyMatch(row -> String.valueOf(row.get("raw_json")).contains("link_preview")));
    assertThat(node.query("SELECT 1 FROM message_versions WHERE chat_id = ? AND message_id = ?", direct.id(), id))
        .isEmpty();
    assertThat(node.query("SELECT edit_date FROM messages WHERE chat_id = ? AND message_id = ?", direct.id(), id))
        .extracting(row -> ((Number) row.get("edit_date")).longValue()).containsExactly(0L);
  }

  /** Item 11: TDLib keeps no second copy of the messages: the archive is the only one. */
  @Test
  void tdlibKeepsNoMessageDatabaseBesideTheArchive() throws Exception {
    JsonNode parameters = tdlibParameters();
    assertThat(parameters.path("use_message_database").asBoolean(true)).isFalse();
    Path database = Path.of(parameters.path("database_directory").asText());
    assertThat(world.messageDatabaseBytes(database)).isZero();
    assertThat(((Number) node.query("SELECT count(*) AS n FROM messages").get(0).get("n")).longValue())
        .isGreaterThan(100);
  }

  private static List<SimChat> chats(Predicate<SimChat> which) {
    return SimulatedTdlib.chatsTheNodeSees(world).stream()
        .filter(chat -> chat.member() && chat.accessible() && !chat.deleted() && chat.upgradeLinkedChatId() == 0)
        .filter(which).toList();
  }

  private static String tierOf(SimChat chat) {
    return switch (chat.kind()) {
      case PRIVATE, SECRET -> "P1";
      case BASIC_GROUP, SUPERGROUP -> chat.memberCount() < 20 ? "P1" : chat.memberCount() <= 100 ? "P2" : "P4";
      case CHANNEL -> "P4";
    };
  }

  private static String stateOf(long chatId) {
    return node.get("/chats/" + chatId).path("state").asText();
  }

  private static long forwardCursor(long chatId) {
    return ((Number) node.query("SELECT forward_cursor FROM chat_sync_state WHERE chat_id = ?", chatId)
        .get(0).get("forward_cursor")).longValue();
  }

  /** The setTdlibParameters the node sent, from the request log (secrets shown as "***"). */
  private static JsonNode tdlibParameters() {
    return requestsLogged().stream()
        .filter(line -> line.path("request").path("@type").asText().equals("setTdlibParameters"))
        .findFirst().orElseThrow().path("request");
  }

  private static List<JsonNode> requestsLogged() {
    try (var lines = Files.lines(dataDir.resolve("requests.jsonl"))) {
      return lines.map(RealAccountTest::read).filter(line -> line.has("request")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
