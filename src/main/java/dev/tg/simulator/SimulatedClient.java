package dev.tg.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One simulated TDLib instance (one client id): its authorization, its queue of requests (answered in order, after
 * the round trip; a request that needs the server waits out outages and flood waits, then goes on) and, through its
 * {@link ClientUpdates}, the updates it sends. Runs under the lock of its {@link SimulatedTelegram}.
 */
final class SimulatedClient implements Login.Output {
  private static final Set<String> LOGGED_IN_METHODS = Set.of(
      "loadChats", "getChats", "getChat", "openChat", "closeChat", "getChatHistory", "getMessage",
      "getChatMessageCount", "searchChatMessages", "createPrivateChat", "createBasicGroupChat",
      "createSupergroupChat", "createSecretChat", "getMe", "getUser", "getBasicGroup",
      "getSupergroup", "getSupergroupFullInfo", "getSecretChat", "getContacts", "getFile", "downloadFile",
      "cancelDownloadFile", "deleteFile");
  /** Answered by TDLib itself at once, without the network (Requests::on_request(getFile) asks FileManager only). */
  private static final Set<String> OFFLINE_METHODS = Set.of("getFile");
  /** What MessagesManager::open_dialog asks the server for when a supergroup or channel is first opened. */
  private static final String GET_CHANNEL_DIFFERENCE = "updates.getChannelDifference";
  private static final String GET_RECENT_PARTICIPANTS = "channels.getParticipants";
  /** open_dialog loads the recent members of a group with fewer (or an unknown number of) members. */
  private static final int RECENT_PARTICIPANTS_BELOW = 195;

  /** Where the instance's answers and updates go. */
  interface Sink {
    void emit(int clientId, ObjectNode object);
  }

  /** A request on its way; {@code internal} ones TDLib sends by itself and answers to nobody. */
  private record Pending(
      ObjectNode request, Instant due, RequestRecord record, int logIndex, ServerCall call, boolean internal) {
    String type() {
      return request.path("@type").asText();
    }

    Pending dueAt(Instant newDue) {
      return new Pending(request, newDue, record, logIndex, call, internal);
    }
  }

  private final int id;
  private final SimulatedTelegram telegram;
  private final World world;
  private final Sink sink;
  private final Login login;
  private final ClientView view;
  private final MessageRequests messageRequests;
  private final ChatMethods chatMethods;
  private final ClientUpdates updates;
  private final ClientFiles files;
  private boolean started;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  /** Requests that reached the server and are to be sent again: after a flood wait, or once the network is back. */
  private final List<Pending> resends = new ArrayList<>();
  private Instant lastDue = Instant.MIN;
  private final List<ObjectNode> afterAnswer = new ArrayList<>();

  SimulatedClient(int id, SimulatedTelegram telegram, LoginScript script, Sink sink) {
    this.id = id;
    this.telegram = telegram;
    this.world = telegram.world();
    this.sink = sink;
    this.login = new Login(script, this);
    this.view = new ClientView(world, this::emit);
    this.messageRequests = new MessageRequests(world, view, telegram::searchTotalsUnknown);
    this.chatMethods = new ChatMethods(world, view);
    this.updates = new ClientUpdates(telegram, view, this::isReady, this::emit, this::tick);
    this.files = new ClientFiles(object -> sink.emit(id, object), telegram::downloadBytesPerSecond,
        () -> login.parameters().filesDirectory(), () -> login.parameters().useFileDatabase());
  }

  /** The listener that hears the world for this instance. */
  WorldListener updates() {
    return updates;
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
    Pending pending = new Pending(request, now, record, telegram.recordRequest(record), new ServerCall(telegram),
        false);
    if (login.state() == Login.State.CLOSED) {
      // a closed instance is gone: nothing travels, the refusal is immediate
      answer(pending, TdObjects.error(500, "Request aborted"));
      return;
    }
    if (OFFLINE_METHODS.contains(record.type())) {
      dispatch(pending, now);
      return;
    }
    enqueue(pending, now);
  }

  /** A request TDLib sends on its own; it is logged and meets the server like the others. */
  private void sendInternal(String type, long chatId, Instant now) {
    RequestRecord record = new RequestRecord(now, id, type, chatId, 0, 0, 0, "pending");
    ObjectNode request = TdObjects.object(type).put("chat_id", chatId);
    enqueue(new Pending(request, now, record, telegram.recordRequest(record), new ServerCall(telegram), true), now);
  }

  private void enqueue(Pending pending, Instant now) {
    Instant due = now.plus(telegram.rtt());
    if (due.isBefore(lastDue)) {
      due = lastDue;
    }
    lastDue = due;
    queue.add(pending.dueAt(due));
    drain(now);
  }

  void confirmQr(Instant now) {
    login.confirmQr(now, true);
  }

  private void tick(Instant now) {
    login.confirmQr(now, false);
    drain(now);
    files.progress(now, !telegram.isOffline());
  }

  /** Answers what is due, in order; what waits for the server goes on once the network is back or the wait is over. */
  private void drain(Instant now) {
    while (!queue.isEmpty() && !queue.peekFirst().due().isAfter(now)) {
      dispatch(queue.pollFirst(), now);
    }
    if (telegram.isOffline()) {
      return;
    }
    List<Pending> due = new ArrayList<>();
    for (Iterator<Pending> it = resends.iterator(); it.hasNext(); ) {
      Pending pending = it.next();
      if (!pending.due().isAfter(now)) {
        it.remove();
        due.add(pending);
      }
    }
    due.forEach(pending -> dispatch(pending, now));
  }

  private void dispatch(Pending pending, Instant now) {
    ServerCall call = pending.call();
    ObjectNode answer = login.state() == Login.State.CLOSED
        ? TdObjects.error(500, "Request aborted")
        : handle(pending, now);
    if (answer == ServerCall.NO_ANSWER) {
      telegram.recordOutcome(pending.logIndex(), pending.record(), "timeout");
    } else if (answer == ServerCall.OFFLINE) {
      resends.add(pending);
    } else if (answer == ClientFiles.LATER) {
      return; // a synchronous download answers when it ends
    } else if (answer == ServerCall.RESEND) {
      resends.add(pending.dueAt(now.plusSeconds(call.retryAfterSeconds())));
    } else {
      answer(pending, answer);
    }
  }

  private void answer(Pending pending, ObjectNode answer) {
    if (!pending.internal()) {
      if (pending.request().has("@extra")) {
        answer.set("@extra", pending.request().get("@extra"));
      }
      emit(answer);
    }
    afterAnswer.forEach(this::emit);
    afterAnswer.clear();
    String outcome = "error".equals(answer.path("@type").asText())
        ? "error " + answer.path("code").asInt() + " " + answer.path("message").asText()
        : "ok";
    int waited = pending.call().waitedSeconds();
    telegram.recordOutcome(pending.logIndex(), pending.record(),
        waited > 0 ? outcome + " after flood wait " + waited + "s" : outcome);
    if (login.state() == Login.State.CLOSED) {
      // the instance is gone, and its message database is closed
      updates.releaseFiles();
      telegram.unregister(updates);
    }
  }

  private ObjectNode handle(Pending pending, Instant now) {
    ObjectNode request = pending.request();
    ServerCall call = pending.call();
    String type = pending.type();
    if (pending.internal()) {
      ObjectNode refusal = call.reachServer(request.path("chat_id").asLong());
      return refusal != null ? refusal : TdObjects.ok();
    }
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
      case "loadChats" -> chatMethods.loadChats(request, call);
      case "getChats" -> chatMethods.getChats(request, call);
      case "getChat" -> withChat(request, view::chatObject);
      case "openChat" -> withChat(request, chat -> openChat(chat, now));
      case "closeChat" -> withChat(request, chat -> {
        view.close(chat);
        return TdObjects.ok();
      });
      case "getChatHistory" -> messageRequests.getChatHistory(request, call);
      case "getMessage" -> messageRequests.getMessage(request, call);
      case "getChatMessageCount" -> messageRequests.getChatMessageCount(request, call);
      case "searchChatMessages" -> messageRequests.searchChatMessages(request, call);
      case "createPrivateChat", "createBasicGroupChat", "createSupergroupChat", "createSecretChat" ->
          chatMethods.createChat(request, call);
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
          .filter(chat -> chat.kind == ChatKind.SECRET && view.sees(chat)
              && chat.entityId == request.path("secret_chat_id").asLong())
          .findFirst()
          .map(chat -> TdObjects.secretChat(chat, true))
          .orElseGet(() -> TdObjects.error(400, "Secret chat not found"));
      case "getContacts" -> getContacts(call);
      case "getFile", "downloadFile", "cancelDownloadFile", "deleteFile" -> files.handle(request, now,
          later -> answer(pending, later));
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

  /**
   * MessagesManager::open_dialog: the first opening of a readable supergroup or channel makes TDLib ask the server
   * for the channel's difference and, for a group with few members, its recent members; the answer is ok at once.
   */
  private ObjectNode openChat(WorldChat chat, Instant now) {
    if (view.hasReadAccess(chat) && view.open(chat) && chat.kind.isSupergroup()) {
      sendInternal(GET_CHANNEL_DIFFERENCE, chat.id, now);
      int knownMembers = chat.memberCountHidden ? 0 : chat.memberCount;
      if (chat.kind == ChatKind.SUPERGROUP && knownMembers < RECENT_PARTICIPANTS_BELOW) {
        sendInternal(GET_RECENT_PARTICIPANTS, chat.id, now);
      }
    }
    return TdObjects.ok();
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

  // ---- users ----

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

  // ---- Login.Output ----

  private boolean isReady() {
    return login.state() == Login.State.READY;
  }

  @Override
  public void update(ObjectNode update) {
    emit(update);
  }

  @Override
  public void updateAfterAnswer(ObjectNode update) {
    afterAnswer.add(update);
  }

  /** Ready: the instance works as setTdlibParameters asked, with or without secret chats and a message database. */
  @Override
  public void ready() {
    Login.Parameters parameters = login.parameters();
    view.configure(parameters.useSecretChats(),
        parameters.useMessageDatabase() && parameters.databaseDirectory() != null
            ? new MessageDatabase(MessageDatabase.file(parameters.databaseDirectory(), parameters.useTestDc()))
            : null);
    emit(TdObjects.updateOption("my_id", TdObjects.optionInteger(World.ME_ID)));
    view.announceUser(World.ME_ID);
    emit(TdObjects.connectionState(
        telegram.isOffline() ? "connectionStateWaitingForNetwork" : "connectionStateReady"));
  }

  @Override
  public void loggingOut() {
    if (view.database() != null) {
      view.database().destroy();
    }
  }

  private void emit(ObjectNode object) {
    files.localize(object);
    sink.emit(id, object);
  }
}
