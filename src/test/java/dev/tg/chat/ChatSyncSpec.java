package dev.tg.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tg.archive.Archive;
import dev.tg.archive.ArchiveStore;
import dev.tg.archive.MessageChange;
import dev.tg.archive.MessageRecord;
import dev.tg.config.SyncSettings;
import dev.tg.config.TgConfig;
import dev.tg.scheduler.Priority;
import dev.tg.scheduler.GrantingScheduler;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.scheduler.Scheduler;
import dev.tg.status.ChatProgress;
import dev.tg.status.Status;
import dev.tg.telegram.TdChat.ChatKind;
import dev.tg.telegram.TdDispatcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat actor's commands and events, state by state, in Pekko's EventSourcedBehaviorTestKit: every command,
 * event and state goes through serialization, every message between actors too ({@code serialize-messages}), and
 * each spec ends with a restart that replays the journal into the same state.
 */
class ChatSyncSpec {
  private static final long DM = 6_000_001_001L;
  private static final long CHANNEL = -1_000_000_000_777L;

  @TempDir static Path dir;
  private static ActorTestKit testKit;
  private static ExecutorService writer;
  private static Archive archive;
  private static SyncSettings settings;

  private final ScriptedTdJson td = new ScriptedTdJson();
  private TdDispatcher dispatcher;
  private TestProbe<Chats.Command> parent;
  private TestProbe<Status.Command> status;

  @BeforeAll
  static void startSystem() {
    Config tg = TgConfig.load(null);
    Config config = ConfigFactory.parseString("pekko.actor.serialize-messages = on")
        .withFallback(EventSourcedBehaviorTestKit.config())
        .withFallback(tg);
    testKit = ActorTestKit.create("chat-spec", config);
    writer = Executors.newSingleThreadExecutor();
    archive = new Archive(ArchiveStore.open(dir.resolve("archive.db")), writer);
    settings = SyncSettings.from(ConfigFactory.parseString(
            "sync.history-batch-interval = 0ms, sync.request-timeout = 1h, sync.resweep.window = 0")
        .withFallback(tg.getConfig("tg")));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
    archive.close();
    writer.shutdown();
  }

  @BeforeEach
  void probes() {
    dispatcher = new TdDispatcher(td, "spec");
    parent = testKit.createTestProbe();
    status = testKit.createTestProbe();
  }

  @AfterEach
  void close() {
    dispatcher.close();
  }

  private EventSourcedBehaviorTestKit<ChatSync.Command, ChatSync.Event, ChatState> chat(long chatId) {
    ActorRef<Scheduler.Command> scheduler = GrantingScheduler.spawn(testKit);
    ScheduledClient telegram = new ScheduledClient(dispatcher.createClient(update -> { }), scheduler,
        testKit.system(), settings.requestTimeout());
    ChatSync.Setup setup = new ChatSync.Setup("spec-" + chatId, settings, telegram, archive, parent.getRef(),
        status.getRef());
    return EventSourcedBehaviorTestKit.create(testKit.system(), ChatSync.create(chatId, setup));
  }

  private static ChatSync.Describe describe(ChatKind kind, int members) {
    return new ChatSync.Describe("a chat", kind, members, 0, 0);
  }

  @Test
  void anUndescribedChatOnlyLearnsWhatItIs() {
    var chat = chat(DM + 1);
    var sync = chat.<StatusReply<ChatProgress>>runCommand(ChatSync.RequestSync::new);
    assertThat(sync.reply().isError()).isTrue();
    assertThat(sync.hasNoEvents()).isTrue();
    assertThat(chat.runCommand(live(DM + 1, 1)).hasNoEvents()).isTrue();

    var described = chat.runCommand(describe(ChatKind.PRIVATE, 2));

    ChatSync.ChatDescribed event = described.eventOfType(ChatSync.ChatDescribed.class);
    assertThat(event.policy().priority()).isEqualTo(Priority.P1);
    assertThat(described.state().syncing()).isTrue();
    assertThat(chat.restart().state()).isEqualTo(described.state());
  }

  @Test
  void aChatNotSyncedDropsItsNewsAndSyncsWhenAsked() {
    var chat = chat(CHANNEL);
    assertThat(chat.runCommand(describe(ChatKind.CHANNEL, 5_000)).state().syncing()).isFalse();
    assertThat(chat.runCommand(describe(ChatKind.CHANNEL, 5_000)).hasNoEvents()).as("nothing changed").isTrue();
    assertThat(chat.runCommand(live(CHANNEL, 1)).hasNoEvents()).isTrue();

    var sync = chat.<StatusReply<ChatProgress>>runCommand(ChatSync.RequestSync::new);

    assertThat(sync.eventOfType(ChatSync.SyncRequested.class).policy().priority()).isEqualTo(Priority.P4);
    assertThat(sync.reply().getValue().enabled()).isTrue();
    assertThat(sync.state().syncing()).isTrue();
    var again = chat.<StatusReply<ChatProgress>>runCommand(ChatSync.RequestSync::new);
    assertThat(again.hasNoEvents()).as("asked twice").isTrue();
    assertThat(again.reply().isSuccess()).isTrue();
    assertThat(chat.restart().state()).isEqualTo(sync.state());
  }

  @Test
  void aChatThatLeavesEveryListStopsAndComesBackOnRejoining() {
    var chat = chat(DM + 2);
    chat.runCommand(describe(ChatKind.PRIVATE, 2));

    var left = chat.runCommand(new ChatSync.Membership(false));
    assertThat(left.eventOfType(ChatSync.ChatLeft.class)).isNotNull();
    assertThat(left.state().access()).isEqualTo(ChatState.Access.LEFT);
    assertThat(left.state().syncing()).isFalse();
    assertThat(chat.runCommand(new ChatSync.Membership(false)).hasNoEvents()).isTrue();
    assertThat(chat.<StatusReply<ChatProgress>>runCommand(ChatSync.RequestSync::new).reply().isError()).isTrue();

    var rejoined = chat.runCommand(new ChatSync.Membership(true));
    assertThat(rejoined.eventOfType(ChatSync.ChatRejoined.class)).isNotNull();
    assertThat(rejoined.state().syncing()).isTrue();
    assertThat(chat.restart().state()).isEqualTo(rejoined.state());
  }

  @Test
  void theBasicGroupASupergroupWasUpgradedFromStaysThoughItIsInNoList() {
    var chat = chat(-900_000_111L);
    chat.runCommand(new ChatSync.Describe("old group", ChatKind.BASIC_GROUP, 12, -1_000_000_000_778L, 0));

    assertThat(chat.runCommand(new ChatSync.Membership(false)).hasNoEvents()).isTrue();
    assertThat(chat.getState().syncing()).isTrue();
  }

  /**
   * The basic group a supergroup was upgraded from is in no chat list: the supergroup's first message names it
   * ({@code messageChatUpgradeFrom}), and once the cursors have passed that message no page shows it again. The
   * supergroup's journal keeps the name, so that a restart before the old group's own journal began (a crash, a
   * backup whose journal was copied in between) still finds the group.
   */
  @Test
  void aSupergroupNamesTheGroupItWasUpgradedFromAgainAfterARestart() {
    long chatId = -1_000_000_000_779L;
    long basicGroupId = 111;
    ModelChat world = new ModelChat(chatId, 3);
    var chat = chat(chatId);
    chat.runCommand(describe(ChatKind.SUPERGROUP, 5));
    chat.runCommand(ChatSync.Start.INSTANCE);
    ObjectNode firstPage = world.page(0, 100);
    ObjectNode upgrade = (ObjectNode) firstPage.withArray("messages").get(2);
    upgrade.putObject("content").put("@type", "messageChatUpgradeFrom").put("title", "a chat")
        .put("basic_group_id", basicGroupId);
    td.answer(nextRequest("getChatHistory"), firstPage);
    assertThat(awaitState(chat, ChatState::initialized).backwardCursor()).isEqualTo(upgrade.path("id").asLong());
    assertThat(predecessorFound()).isEqualTo(new Chats.PredecessorFound(basicGroupId, chatId));

    ChatState recovered = chat.restart().state();
    chat.runCommand(ChatSync.Start.INSTANCE);

    assertThat(predecessorFound()).as("told again after the restart").isEqualTo(
        new Chats.PredecessorFound(basicGroupId, chatId));
    assertThat(chat.restart().state()).isEqualTo(recovered);
  }

  private Chats.PredecessorFound predecessorFound() {
    return (Chats.PredecessorFound) parent.fishForMessage(Duration.ofSeconds(5), message ->
        message instanceof Chats.PredecessorFound ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore())
        .get(0);
  }

  /** A syncing chat's jobs: first page, estimate, history pages to the start, then live messages. */
  @Test
  void aSyncingChatPersistsItsCursorsOnlyAfterItsPagesAreStored() {
    long chatId = DM + 3;
    ModelChat world = new ModelChat(chatId, 5);
    var chat = chat(chatId);
    chat.runCommand(describe(ChatKind.PRIVATE, 2));
    chat.runCommand(ChatSync.Start.INSTANCE);

    answer(world, nextRequest("getChatHistory"), 1);
    ChatState loaded = awaitState(chat, ChatState::initialized);
    assertThat(loaded.forwardCursor()).isEqualTo(world.lastId()).isEqualTo(loaded.backwardCursor());

    ObjectNode estimate = nextRequest("searchChatMessages");
    td.answer(estimate, ScriptedTdJson.JSON.createObjectNode().put("@type", "foundChatMessages")
        .put("total_count", 5).put("next_from_message_id", 0).set("messages", ScriptedTdJson.JSON.createArrayNode()));
    assertThat(awaitState(chat, state -> state.knownTotal() == 5).knownTotal()).isEqualTo(5);

    answer(world, nextRequest("getChatHistory"), 2);
    assertThat(awaitState(chat, state -> state.backwardCursor() < loaded.backwardCursor()).archived()).isEqualTo(3);
    answer(world, nextRequest("getChatHistory"), 100);
    answer(world, nextRequest("getChatHistory"), 100);
    ChatState complete = awaitState(chat, ChatState::historyComplete);
    assertThat(complete.backwardCursor()).isEqualTo(ModelChat.messageId(1));

    long live = world.post("live");
    chat.runCommand(new ChatSync.Live(new MessageChange.Added(MessageRecord.of(world.json(world.message(live)))),
        true));
    assertThat(awaitState(chat, state -> state.forwardCursor() == live).archived()).isEqualTo(6);
    assertThat(chat.restart().state()).isEqualTo(chat.getState());
  }

  @Test
  void aChatTheAccountCannotReadAnyMoreIsMarkedSo() {
    long chatId = DM + 4;
    var chat = chat(chatId);
    chat.runCommand(describe(ChatKind.PRIVATE, 2));
    chat.runCommand(ChatSync.Start.INSTANCE);

    td.fail(nextRequest("getChatHistory"), 400, "CHANNEL_PRIVATE");

    ChatState refused = awaitState(chat, state -> state.access() == ChatState.Access.INACCESSIBLE);
    assertThat(refused.syncing()).isFalse();
    assertThat(chat.restart().state()).isEqualTo(refused);
  }

  /** On CHANNEL_PRIVATE TDLib takes the chat out of its lists first, then answers with the refusal. */
  @Test
  void aChatThatLeftItsListsJustBeforeItsRequestWasRefusedIsMarkedInaccessible() {
    long chatId = DM + 6;
    var chat = chat(chatId);
    chat.runCommand(describe(ChatKind.PRIVATE, 2));
    chat.runCommand(ChatSync.Start.INSTANCE);
    ObjectNode firstPage = nextRequest("getChatHistory");

    assertThat(chat.runCommand(new ChatSync.Membership(false)).state().access()).isEqualTo(ChatState.Access.LEFT);
    td.fail(firstPage, 400, "CHANNEL_PRIVATE");

    ChatState refused = awaitState(chat, state -> state.access() == ChatState.Access.INACCESSIBLE);
    assertThat(chat.runCommand(new ChatSync.Membership(false)).hasNoEvents()).as("stays inaccessible").isTrue();
    assertThat(chat.restart().state()).isEqualTo(refused);
  }

  @Test
  void aCursorTdlibRefusesStartsTheHistoryAgainFromTheNewestMessage() {
    long chatId = DM + 5;
    ModelChat world = new ModelChat(chatId, 5);
    var chat = chat(chatId);
    chat.runCommand(describe(ChatKind.PRIVATE, 2));
    chat.runCommand(ChatSync.Start.INSTANCE);
    answer(world, nextRequest("getChatHistory"), 1);
    td.fail(nextRequest("searchChatMessages"), 500, "Requested data is inaccessible");

    td.fail(nextRequest("getChatHistory"), 400, "Invalid value of parameter from_message_id specified");

    ChatState reset = awaitState(chat, state -> !state.initialized());
    assertThat(reset.backwardCursor()).isZero();
    assertThat(reset.forwardCursor()).as("the forward cursor stays").isEqualTo(world.lastId());
    assertThat(nextRequest("getChatHistory").path("from_message_id").asLong()).as("a first page again").isZero();
  }

  private ChatSync.Live live(long chatId, int serverId) {
    ModelChat world = new ModelChat(chatId, serverId);
    return new ChatSync.Live(new MessageChange.Added(MessageRecord.of(world.json(world.message(world.lastId())))),
        true);
  }

  /** While the storage has no room, a chat asks Telegram for nothing; once there is room its work goes on. */
  @Test
  void aChatAsksForNoHistoryWhileTheStorageIsPausedAndGoesOnWhenItResumes() {
    long chatId = DM + 5;
    ModelChat world = new ModelChat(chatId, 3);
    var chat = chat(chatId);
    chat.runCommand(describe(ChatKind.PRIVATE, 2));
    assertThat(archive.measureRoom(List.of(dir), Long.MAX_VALUE).toCompletableFuture().join().paused()).isTrue();
    try {
      chat.runCommand(ChatSync.Start.INSTANCE);
      ChatProgress paused = chat.<ChatProgress>runCommand(ChatSync.GetProgress::new).reply();
      assertThat(paused.job()).as("no job while paused").isNull();
    } finally {
      archive.measureRoom(List.of(dir), 0).toCompletableFuture().join();
    }

    chat.runCommand(ChatSync.StorageResumed.INSTANCE);
    assertThat(chat.<ChatProgress>runCommand(ChatSync.GetProgress::new).reply().job().type())
        .isEqualTo("initial_load");
    answer(world, nextRequest("getChatHistory"), 100);
    assertThat(awaitState(chat, ChatState::initialized).archived()).isEqualTo(3);
  }

  private ObjectNode nextRequest(String type) {
    while (true) {
      ObjectNode request = td.nextRequest(Duration.ofSeconds(10)).orElseThrow();
      if (!request.path("@type").asText().equals("openChat")) {
        assertThat(request.path("@type").asText()).isEqualTo(type);
        return request;
      }
    }
  }

  private void answer(ModelChat world, ObjectNode request, int returned) {
    td.answer(request, world.page(request.path("from_message_id").asLong(),
        Math.min(returned, request.path("limit").asInt())));
  }

  private static ChatState awaitState(EventSourcedBehaviorTestKit<ChatSync.Command, ChatSync.Event, ChatState> chat,
      java.util.function.Predicate<ChatState> condition) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> condition.test(chat.getState()));
    return chat.getState();
  }
}
