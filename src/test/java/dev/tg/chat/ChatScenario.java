package dev.tg.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.archive.MessageChange;
import dev.tg.archive.MessageRecord;
import dev.tg.scheduler.GrantingScheduler;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.scheduler.Scheduler;
import dev.tg.status.ChatProgress;
import dev.tg.status.Status;
import dev.tg.telegram.TdChat.ChatKind;
import dev.tg.telegram.TdClient;
import dev.tg.telegram.TdDispatcher;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One chat actor driven by a test: the test is TDLib (it sees every request and answers it from the model chat as it
 * chooses) and the account (it tells the chat what TDLib's updates say). Journal and archive are real.
 */
final class ChatScenario implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);

  final ChatRig rig;
  final String account;
  final ModelChat world;
  final long chatId;
  final ScriptedTdJson td = new ScriptedTdJson();
  final AtomicInteger recoveries = new AtomicInteger();
  final AtomicInteger restarts = new AtomicInteger();
  final AtomicReference<ChatProgress> published = new AtomicReference<>();
  // like the account's chats: a chat that restarts after a journal failure is started again once the account is
  private final AtomicReference<ActorRef<ChatSync.Command>> current = new AtomicReference<>();
  private final AtomicReference<ChatSync.Describe> lastDescribe = new AtomicReference<>();
  private volatile boolean started;
  private final TdDispatcher dispatcher;
  private final ScheduledClient telegram;
  private ActorRef<ChatSync.Command> chat;
  private Connection reader;

  ChatScenario(ChatRig rig, String account, ModelChat world) {
    this.rig = rig;
    this.account = account;
    this.world = world;
    this.chatId = world.chatId();
    this.dispatcher = new TdDispatcher(td, account);
    TdClient client = dispatcher.createClient(update -> { });
    ActorRef<Scheduler.Command> scheduler = GrantingScheduler.spawn(rig.testKit);
    this.telegram = new ScheduledClient(client, scheduler, rig.testKit.system(), rig.settings.requestTimeout());
  }

  void spawn() {
    ActorRef<Status.Command> status = rig.testKit.spawn(Behaviors.receive(Status.Command.class)
        .onMessage(Status.ChatUpdated.class, updated -> {
          published.set(updated.progress());
          return Behaviors.same();
        })
        .onMessage(Status.ChatRestarted.class, restarted -> {
          restarts.incrementAndGet();
          return Behaviors.same();
        })
        .onAnyMessage(message -> Behaviors.same())
        .build());
    ActorRef<Chats.Command> parent = rig.testKit.spawn(Behaviors.receive(Chats.Command.class)
        .onMessage(Chats.ChatRecovered.class, recovered -> {
          recoveries.incrementAndGet();
          if (started) {
            current.get().tell(lastDescribe.get());
            current.get().tell(ChatSync.Start.INSTANCE);
          }
          return Behaviors.same();
        })
        .onAnyMessage(message -> Behaviors.same())
        .build());
    chat = rig.testKit.spawn(Chats.supervised(chatId,
        new ChatSync.Setup(account, rig.settings, telegram, rig.archive, parent, status)));
    current.set(chat);
  }

  /** The node dies: what the actor had in memory is gone; TDLib and the archive go on. */
  void crash() {
    started = false;
    rig.testKit.stop(chat, WAIT);
  }

  /** A new actor on the same journal, described and started as the account would. */
  void restart(ChatKind kind, int members) {
    crash();
    spawn();
    describe(kind, members);
    start();
  }

  void describe(ChatKind kind, int members) {
    lastDescribe.set(new ChatSync.Describe("chat " + chatId, kind, members, 0, world.lastId()));
    chat.tell(lastDescribe.get());
  }

  void start() {
    started = true;
    chat.tell(ChatSync.Start.INSTANCE);
  }

  void tell(ChatSync.Command command) {
    chat.tell(command);
  }

  /** TDLib announces a new message as it happens. */
  void live(long id, boolean ready) {
    MessageRecord message = MessageRecord.of(world.json(world.message(id)));
    chat.tell(new ChatSync.Live(new MessageChange.Added(message), ready));
  }

  /** TDLib announces an edit: the new content, then the edit date (the account pairs them). */
  void liveEdit(long id, String newText) {
    world.edit(id, newText);
    ObjectNode content = world.content(newText);
    chat.tell(new ChatSync.Live(
        new MessageChange.Edited(id, world.message(id).editDate(), content.toString(), newText), true));
  }

  void liveDelete(long id) {
    world.delete(id);
    chat.tell(new ChatSync.Live(new MessageChange.Deleted(List.of(id)), true));
  }

  /** TDLib moved the chat's last message without announcing what came in between. */
  void lastMessage(long id) {
    chat.tell(new ChatSync.LastMessageChanged(id));
  }

  /** The next request; opening the chat (which only makes TDLib send its updates) is answered on the way. */
  ObjectNode request() {
    while (true) {
      ObjectNode request = td.nextRequest(WAIT).orElseThrow(() -> new AssertionError("no request within " + WAIT));
      if (!request.path("@type").asText().equals("openChat")) {
        return request;
      }
      td.answer(request, ScriptedTdJson.JSON.createObjectNode().put("@type", "ok"));
    }
  }

  ObjectNode request(String type) {
    ObjectNode request = request();
    assertThat(request.path("@type").asText()).as("request " + request).isEqualTo(type);
    return request;
  }

  /** Answers a getChatHistory request with up to {@code returned} of the messages TDLib has there. */
  void answerHistory(ObjectNode request, int returned) {
    int limit = Math.min(request.path("limit").asInt(), returned);
    td.answer(request, world.page(request.path("from_message_id").asLong(), limit));
  }

  void answerHistory(ObjectNode request) {
    answerHistory(request, Integer.MAX_VALUE);
  }

  ChatProgress progress() {
    return AskPattern.<ChatSync.Command, ChatProgress>ask(chat, ChatSync.GetProgress::new, WAIT,
        rig.testKit.system().scheduler()).toCompletableFuture().join();
  }

  /** The archived rows of this chat: message id to text and deletion mark. */
  Map<Long, Map<String, Object>> archived() {
    Map<Long, Map<String, Object>> rows = new HashMap<>();
    for (Map<String, Object> row : read(
        "SELECT message_id, text, edit_date, deleted FROM messages WHERE account = ? AND chat_id = ?",
        account, chatId)) {
      rows.put(((Number) row.get("message_id")).longValue(), row);
    }
    return rows;
  }

  /** The archived earlier texts of a message, oldest first. */
  List<String> versions(long id) {
    return read("SELECT text FROM message_versions WHERE account = ? AND chat_id = ? AND message_id = ? "
        + "ORDER BY version", account, chatId, id).stream().map(row -> (String) row.get("text")).toList();
  }

  private List<Map<String, Object>> read(String sql, Object... values) {
    try {
      if (reader == null) {
        reader = DriverManager.getConnection("jdbc:sqlite:" + rig.archiveFile);
      }
      try (PreparedStatement statement = reader.prepareStatement(sql)) {
        for (int i = 0; i < values.length; i++) {
          statement.setObject(i + 1, values[i]);
        }
        try (ResultSet rows = statement.executeQuery()) {
          List<Map<String, Object>> result = new ArrayList<>();
          while (rows.next()) {
            Map<String, Object> row = new HashMap<>();
            for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
              row.put(rows.getMetaData().getColumnLabel(c), rows.getObject(c));
            }
            result.add(row);
          }
          return result;
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  void awaitArchived(long id) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> archived().containsKey(id));
  }

  void awaitCursors(long forward) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> progress().forwardCursor() == forward);
  }

  /** Invariant 1: messages that exist with backwardCursor <= id <= forwardCursor and are not archived. */
  List<Long> holes() {
    ChatProgress now = progress();
    Map<Long, Map<String, Object>> archived = archived();
    List<Long> holes = new ArrayList<>();
    for (ModelChat.Message message : world.all()) {
      boolean covered = covers(now, message.id());
      if (covered && !message.deleted() && !archived.containsKey(message.id())) {
        holes.add(message.id());
      }
    }
    return holes;
  }

  /**
   * Whether the cursors vouch for a message, as the crash checker reads them: none before both are set (or after
   * the backward one was reset), everything up to the forward cursor once history is complete.
   */
  static boolean covers(ChatProgress progress, long id) {
    if (progress.forwardCursor() == 0 || progress.backwardCursor() == 0 && !progress.historyComplete()) {
      return false;
    }
    return id <= progress.forwardCursor() && (progress.historyComplete() || id >= progress.backwardCursor());
  }

  /** Where the archive's content differs from the model's, for the messages it holds. */
  List<String> contentDifferences() {
    List<String> differences = new ArrayList<>();
    archived().forEach((id, row) -> {
      ModelChat.Message message = world.message(id);
      if (!message.text().equals(row.get("text"))) {
        differences.add(id + ": archived [" + row.get("text") + "], is [" + message.text() + "]");
      }
      boolean deleted = ((Number) row.get("deleted")).intValue() == 1;
      if (deleted != message.deleted()) {
        differences.add(id + ": archived deleted=" + deleted + ", is deleted=" + message.deleted());
      }
    });
    return differences;
  }

  @Override
  public void close() {
    dispatcher.close();
    try {
      if (reader != null) {
        reader.close();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
