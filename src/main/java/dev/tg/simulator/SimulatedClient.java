package dev.tg.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One simulated TDLib instance (one client id): its authorization, its queue of requests (answered in order, after
 * the round trip, waiting out outages) and the updates it sends. Runs under the lock of its {@link SimulatedTelegram}.
 */
final class SimulatedClient implements WorldListener, Login.Output {
  /** Requests that need the server: they wait out outages and meet flood limits and faults. */
  private static final Set<String> SERVER_METHODS = Set.of(
      "loadChats", "getChats", "getChatHistory", "getMessage", "getChatMessageCount", "getSupergroupFullInfo",
      "getContacts");
  private static final Set<String> LOGGED_IN_METHODS = Set.of(
      "loadChats", "getChats", "getChat", "openChat", "closeChat", "getChatHistory", "getMessage",
      "getChatMessageCount", "getMe", "getUser", "getBasicGroup", "getSupergroup", "getSupergroupFullInfo",
      "getSecretChat", "getContacts");

  /** Where the instance's answers and updates go. */
  interface Sink {
    void emit(int clientId, ObjectNode object);
  }

  private record Pending(ObjectNode request, Instant due, RequestRecord record, int logIndex) {
    String type() {
      return request.path("@type").asText();
    }
  }

  private record SlowAnswer(Pending pending, Instant due, ObjectNode answer, int floodWaitSeconds) {}

  private final int id;
  private final SimulatedTelegram telegram;
  private final World world;
  private final Sink sink;
  private final Login login;
  private final ClientView view;
  private final MessageRequests messageRequests;
  private boolean started;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final List<SlowAnswer> slowAnswers = new ArrayList<>();
  private Instant lastDue = Instant.MIN;
  private final List<ObjectNode> afterAnswer = new ArrayList<>();
  private final List<Runnable> heldUpdates = new ArrayList<>();
  private final Set<WorldChat> skippedChats = new LinkedHashSet<>();

  SimulatedClient(int id, SimulatedTelegram telegram, LoginScript script, Sink sink) {
    this.id = id;
    this.telegram = telegram;
    this.world = telegram.world();
    this.sink = sink;
    this.login = new Login(script, this);
    this.view = new ClientView(world, this::emit);
    this.messageRequests = new MessageRequests(world, view);
  }

  // ---- requests ----

  void receive(ObjectNode request, Instant now) {
    if (!started) {
      started = true;
      emit(TdObjects.updateOption("version", TdObjects.optionString(TdObjects.VERSION)));
      emit(login.stateUpdate(Login.State.WAIT_PARAMETERS));
    }
    RequestRecord record = new RequestRecord(now, id, request.path("@type").asText(), request.path("chat_id").asLong(),
        request.path("from_message_id").asLong(), request.path("offset").asInt(), request.path("limit").asInt(),
        "pending");
    Pending pending = new Pending(request, now, record, telegram.recordRequest(record));
    if (login.state() == Login.State.CLOSED) {
      // a closed instance is gone: nothing travels, the refusal is immediate
      answer(pending, TdObjects.error(500, "Request aborted"), 0);
      return;
    }
    Instant due = now.plus(telegram.rtt());
    if (due.isBefore(lastDue)) {
      due = lastDue;
    }
    lastDue = due;
    queue.add(new Pending(request, due, record, pending.logIndex()));
    drain(now);
  }

  void confirmQr(Instant now) {
    login.confirmQr(now, true);
  }

  @Override
  public void tick(Instant now) {
    login.confirmQr(now, false);
    drain(now);
  }

  /** Answers what is due, in order; requests for the server stay queued while the network is down. */
  private void drain(Instant now) {
    for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
      Pending pending = it.next();
      if (pending.due().isAfter(now)) {
        break;
      }
      if (telegram.isOffline() && SERVER_METHODS.contains(pending.type())) {
        continue;
      }
      it.remove();
      dispatch(pending, now);
    }
    for (Iterator<SlowAnswer> it = slowAnswers.iterator(); it.hasNext(); ) {
      SlowAnswer slow = it.next();
      if (!slow.due().isAfter(now)) {
        it.remove();
        answer(slow.pending(), slow.answer(), slow.floodWaitSeconds());
      }
    }
  }

  private void dispatch(Pending pending, Instant now) {
    ServerCall call = new ServerCall(telegram);
    ObjectNode answer = login.state() == Login.State.CLOSED
        ? TdObjects.error(500, "Request aborted")
        : handle(pending.request(), call, now);
    if (answer == ServerCall.NO_ANSWER) {
      telegram.recordOutcome(pending.logIndex(), pending.record(), "timeout");
    } else if (call.floodWaitSeconds() > 0) {
      int wait = call.floodWaitSeconds();
      slowAnswers.add(new SlowAnswer(pending, now.plusSeconds(wait), answer, wait));
    } else {
      answer(pending, answer, 0);
    }
  }

  private void answer(Pending pending, ObjectNode answer, int floodWaitSeconds) {
    if (pending.request().has("@extra")) {
      answer.set("@extra", pending.request().get("@extra"));
    }
    emit(answer);
    afterAnswer.forEach(this::emit);
    afterAnswer.clear();
    String outcome = "error".equals(answer.path("@type").asText())
        ? "error " + answer.path("code").asInt() + " " + answer.path("message").asText()
        : "ok";
    telegram.recordOutcome(pending.logIndex(), pending.record(),
        floodWaitSeconds > 0 ? outcome + " after flood wait " + floodWaitSeconds + "s" : outcome);
    if (login.state() == Login.State.CLOSED) {
      telegram.unregister(this);
    }
  }

  private ObjectNode handle(ObjectNode request, ServerCall call, Instant now) {
    String type = request.path("@type").asText();
    if (type.isEmpty()) {
      return TdObjects.error(400, "Failed to parse JSON object as TDLib request: Can't find field \"@type\"");
    }
    if (Login.METHODS.contains(type)) {
      return login.handle(request, now);
    }
    if (type.equals("getOption")) {
      return option(request.path("name").asText());
    }
    if (type.equals("setLogVerbosityLevel") || type.equals("setOption")) {
      return TdObjects.ok();
    }
    if (!LOGGED_IN_METHODS.contains(type)) {
      return TdObjects.error(400, "Failed to parse JSON object as TDLib request: Unknown class \"" + type + "\"");
    }
    if (login.state() == Login.State.WAIT_PARAMETERS) {
      return TdObjects.error(400, "Initialization parameters are needed: call setTdlibParameters first");
    }
    if (login.state() != Login.State.READY) {
      return TdObjects.error(401, "Unauthorized");
    }
    return switch (type) {
      case "loadChats" -> loadChats(request, call);
      case "getChats" -> getChats(request, call);
      case "getChat" -> withChat(request, view::chatObject);
      case "openChat" -> withChat(request, chat -> {
        view.open(chat);
        return TdObjects.ok();
      });
      case "closeChat" -> withChat(request, chat -> {
        view.close(chat);
        return TdObjects.ok();
      });
      case "getChatHistory" -> messageRequests.getChatHistory(request, call);
      case "getMessage" -> messageRequests.getMessage(request, call);
      case "getChatMessageCount" -> messageRequests.getChatMessageCount(request, call);
      case "getMe" -> userObject(World.ME_ID);
      case "getUser" -> userObject(request.path("user_id").asLong());
      case "getBasicGroup" -> withEntity(request.path("basic_group_id").asLong(), false, "Basic group not found",
          view::basicGroupObject);
      case "getSupergroup" -> withEntity(request.path("supergroup_id").asLong(), true, "Supergroup not found",
          view::supergroupObject);
      case "getSupergroupFullInfo" -> withEntity(request.path("supergroup_id").asLong(), true, "Supergroup not found",
          chat -> {
            ObjectNode refusal = call.reachServer(0);
            return refusal != null ? refusal : view.supergroupFullInfo(chat);
          });
      case "getSecretChat" -> world.chats().stream()
          .filter(chat -> chat.kind == ChatKind.SECRET && chat.entityId == request.path("secret_chat_id").asLong())
          .findFirst()
          .map(TdObjects::secretChat)
          .orElseGet(() -> TdObjects.error(400, "Secret chat not found"));
      case "getContacts" -> getContacts(call);
      default -> throw new IllegalStateException("unhandled " + type);
    };
  }

  private ObjectNode option(String name) {
    if (name.equals("version")) {
      return TdObjects.optionString(TdObjects.VERSION);
    }
    if (name.equals("my_id") && login.state() == Login.State.READY) {
      return TdObjects.optionInteger(World.ME_ID);
    }
    return TdObjects.object("optionValueEmpty");
  }

  // ---- chats ----

  private ObjectNode loadChats(ObjectNode request, ServerCall call) {
    ObjectNode refusal = checkChatListRequest(request, call);
    if (refusal != null) {
      return refusal;
    }
    return view.loadMore(request.path("limit").asInt()) == 0 ? TdObjects.error(404, "Not Found") : TdObjects.ok();
  }

  /** What loadChats and getChats check alike: the limit, the chat list, then the server; null to go on. */
  private ObjectNode checkChatListRequest(ObjectNode request, ServerCall call) {
    if (request.path("limit").asInt() <= 0) {
      return TdObjects.error(400, "Parameter limit must be positive");
    }
    ObjectNode listError = checkChatList(request);
    return listError != null ? listError : call.reachServer(0);
  }

  private ObjectNode getChats(ObjectNode request, ServerCall call) {
    ObjectNode refusal = checkChatListRequest(request, call);
    if (refusal != null) {
      return refusal;
    }
    int limit = request.path("limit").asInt();
    view.loadMore(limit - view.loadedCount());
    List<WorldChat> listed = view.chatsInOrder(true);
    ObjectNode chats = TdObjects.object("chats").put("total_count", view.chatsInOrder(false).size());
    ArrayNode ids = chats.putArray("chat_ids");
    listed.stream().limit(limit).forEach(chat -> ids.add(chat.id));
    return chats;
  }

  /** The main list is the only one with chats; the archive is empty. */
  private static ObjectNode checkChatList(ObjectNode request) {
    String list = request.path("chat_list").path("@type").asText("chatListMain");
    return switch (list) {
      case "", "chatListMain" -> null;
      case "chatListArchive" -> TdObjects.error(404, "Not Found");
      default -> TdObjects.error(400, "Chat list not found");
    };
  }

  private ObjectNode withChat(ObjectNode request, Function<WorldChat, ObjectNode> action) {
    ClientView.ChatLookup lookup = view.lookupChat(request.path("chat_id").asLong());
    return lookup.error() != null ? lookup.error() : action.apply(lookup.chat());
  }

  private ObjectNode withEntity(
      long entityId, boolean supergroup, String notFound, Function<WorldChat, ObjectNode> action) {
    return world.chats().stream()
        .filter(chat -> chat.entityId == entityId
            && (supergroup ? chat.kind.isSupergroup() : chat.kind == ChatKind.BASIC_GROUP))
        .findFirst()
        .map(action)
        .orElseGet(() -> TdObjects.error(400, notFound));
  }

  // ---- users and groups ----

  private ObjectNode userObject(long userId) {
    SimUser user = world.user(userId);
    return user == null ? TdObjects.error(400, "User not found") : TdObjects.user(user);
  }

  private ObjectNode getContacts(ServerCall call) {
    ObjectNode refusal = call.reachServer(0);
    if (refusal != null) {
      return refusal;
    }
    List<Long> contacts = world.users().stream().filter(SimUser::contact).map(SimUser::id).toList();
    contacts.forEach(view::announceUser);
    ObjectNode users = TdObjects.object("users").put("total_count", contacts.size());
    ArrayNode ids = users.putArray("user_ids");
    contacts.forEach(ids::add);
    return users;
  }

  // ---- updates ----

  private boolean isReady() {
    return login.state() == Login.State.READY;
  }

  /**
   * While offline, TDLib fetches what private chats and basic groups missed once it is back, but skips the gaps of
   * supergroups and channels: there only the last message moves. Returns true if the update must not go out now.
   */
  private boolean deferredWhileOffline(WorldChat chat, Runnable update, boolean movesLastMessage) {
    if (!telegram.isOffline()) {
      return false;
    }
    if (!chat.kind.isSupergroup()) {
      heldUpdates.add(update);
    } else if (movesLastMessage) {
      skippedChats.add(chat);
    }
    return true;
  }

  @Override
  public void messageAdded(WorldChat chat, long messageId) {
    if (!isReady() || deferredWhileOffline(chat, () -> messageAdded(chat, messageId), true)) {
      return;
    }
    int index = chat.history.indexOf(messageId);
    if (!view.hearsUpdatesOf(chat) || index < 0 || chat.history.isDeleted(index)) {
      view.sendLastMessage(chat);
      return;
    }
    view.announceChat(chat);
    emit(TdObjects.update("updateNewMessage", "message", view.messageObject(chat, index)));
    view.sendLastMessage(chat);
  }

  @Override
  public void messagesSkipped(WorldChat chat) {
    if (isReady() && !deferredWhileOffline(chat, () -> messagesSkipped(chat), true)) {
      view.sendLastMessage(chat);
    }
  }

  @Override
  public void messageEdited(WorldChat chat, long messageId) {
    if (!isReady() || !view.knows(chat)
        || deferredWhileOffline(chat, () -> messageEdited(chat, messageId), false) || !view.hearsUpdatesOf(chat)) {
      return;
    }
    int index = chat.history.indexOf(messageId);
    if (index < 0 || chat.history.isDeleted(index)) {
      return;
    }
    ObjectNode message = view.messageObject(chat, index);
    ObjectNode content = TdObjects.object("updateMessageContent").put("chat_id", chat.id).put("message_id", messageId);
    content.set("new_content", message.get("content"));
    emit(content);
    emit(TdObjects.object("updateMessageEdited")
        .put("chat_id", chat.id)
        .put("message_id", messageId)
        .put("edit_date", message.path("edit_date").asInt()));
  }

  @Override
  public void messagesDeleted(WorldChat chat, long[] messageIds, boolean permanent) {
    if (!isReady() || !view.knows(chat)
        || deferredWhileOffline(chat, () -> messagesDeleted(chat, messageIds, permanent), permanent)) {
      return;
    }
    if (!permanent || view.hearsUpdatesOf(chat)) {
      ObjectNode update = TdObjects.object("updateDeleteMessages").put("chat_id", chat.id);
      ArrayNode ids = update.putArray("message_ids");
      for (long messageId : messageIds) {
        ids.add(messageId);
      }
      emit(update.put("is_permanent", permanent).put("from_cache", !permanent));
    }
    int last = chat.history.lastLiveIndex();
    long lastId = last < 0 ? 0 : chat.history.messageIdAt(last);
    if (permanent && Arrays.stream(messageIds).anyMatch(deletedId -> deletedId > lastId)) {
      view.sendLastMessage(chat);
    }
  }

  @Override
  public void chatChanged(WorldChat chat) {
    if (!isReady() || !view.knows(chat)) {
      return;
    }
    if (chat.kind == ChatKind.BASIC_GROUP) {
      emit(TdObjects.update("updateBasicGroup", "basic_group", view.basicGroupObject(chat)));
    } else if (chat.kind.isSupergroup()) {
      emit(TdObjects.update("updateSupergroup", "supergroup", view.supergroupObject(chat)));
      ObjectNode fullInfo = TdObjects.object("updateSupergroupFullInfo").put("supergroup_id", chat.entityId);
      fullInfo.set("supergroup_full_info", view.supergroupFullInfo(chat));
      emit(fullInfo);
    }
  }

  @Override
  public void chatDeleted(WorldChat chat) {
    if (isReady() && view.knows(chat)) {
      emit(TdObjects.updateChatPosition(chat.id, 0));
    }
  }

  @Override
  public void userChanged(SimUser user) {
    if (isReady()) {
      view.userChanged(user);
    }
  }

  @Override
  public void connectionLost() {
    if (isReady()) {
      emit(TdObjects.connectionState("connectionStateWaitingForNetwork"));
    }
  }

  @Override
  public void connectionRestored() {
    if (!isReady()) {
      return;
    }
    emit(TdObjects.connectionState("connectionStateConnecting"));
    emit(TdObjects.connectionState("connectionStateUpdating"));
    List<Runnable> held = List.copyOf(heldUpdates);
    heldUpdates.clear();
    held.forEach(Runnable::run);
    skippedChats.forEach(view::sendLastMessage);
    skippedChats.clear();
    emit(TdObjects.connectionState("connectionStateReady"));
    drain(telegram.clock().instant());
  }

  // ---- Login.Output ----

  @Override
  public void update(ObjectNode update) {
    emit(update);
  }

  @Override
  public void updateAfterAnswer(ObjectNode update) {
    afterAnswer.add(update);
  }

  @Override
  public void ready() {
    emit(TdObjects.updateOption("my_id", TdObjects.optionInteger(World.ME_ID)));
    view.announceUser(World.ME_ID);
    emit(TdObjects.connectionState(
        telegram.isOffline() ? "connectionStateWaitingForNetwork" : "connectionStateReady"));
  }

  private void emit(ObjectNode object) {
    sink.emit(id, object);
  }
}
