package dev.tg.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One simulated TDLib instance (one client id): authorization, its view of the world (which chats and users it has
 * announced), the requests it answers and the updates it sends. Runs under the lock of its {@link SimulatedTelegram}.
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
  private static final ObjectNode NO_ANSWER = TdObjects.object("noAnswer");
  private static final int MAX_HISTORY_LIMIT = 100;
  private static final int SHORT_PAGE_PERCENT = 15;

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

  private record ChatLookup(WorldChat chat, ObjectNode error) {}

  /** One request's trip to the server: the flood wait TDLib sat out on the way, if any. */
  private final class Call {
    int floodWaitSeconds;

    /** Null if the server answers normally, else the refusal (or {@link #NO_ANSWER} for a lost request). */
    ObjectNode reachServer(long chatId) {
      SimulatedTelegram.Admission admission = telegram.admit(chatId);
      if (admission instanceof SimulatedTelegram.Admission.TimedOut) {
        return NO_ANSWER;
      }
      if (admission instanceof SimulatedTelegram.Admission.Failed failed) {
        return TdObjects.error(failed.code(), failed.message());
      }
      if (admission instanceof SimulatedTelegram.Admission.FloodWait wait) {
        if (!telegram.tdlibWaits(wait.seconds())) {
          return TdObjects.error(429, "Too Many Requests: retry after " + wait.seconds());
        }
        floodWaitSeconds = wait.seconds();
      }
      return null;
    }
  }

  private final int id;
  private final SimulatedTelegram telegram;
  private final World world;
  private final MessageFactory messages;
  private final Sink sink;
  private final Login login;
  private boolean started;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final List<SlowAnswer> slowAnswers = new ArrayList<>();
  private Instant lastDue = Instant.MIN;
  private final List<ObjectNode> afterAnswer = new ArrayList<>();
  private final Set<Long> knownChats = new HashSet<>();
  private final Set<Long> loadedChats = new HashSet<>();
  private final Set<Long> knownUsers = new HashSet<>();
  private final Set<Long> openedChats = new HashSet<>();
  private final Set<Long> historyRequested = new HashSet<>();
  private final Set<Long> channelPrivateReported = new HashSet<>();
  private final List<Runnable> heldUpdates = new ArrayList<>();
  private final Set<WorldChat> skippedChats = new LinkedHashSet<>();

  SimulatedClient(int id, SimulatedTelegram telegram, LoginScript script, Sink sink) {
    this.id = id;
    this.telegram = telegram;
    this.world = telegram.world();
    this.messages = world.messages();
    this.sink = sink;
    this.login = new Login(script, this);
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
    Call call = new Call();
    ObjectNode answer = login.state() == Login.State.CLOSED
        ? TdObjects.error(500, "Request aborted")
        : handle(pending.request(), call, now);
    if (answer == NO_ANSWER) {
      telegram.recordOutcome(pending.logIndex(), pending.record(), "timeout");
    } else if (call.floodWaitSeconds > 0) {
      slowAnswers.add(new SlowAnswer(pending, now.plusSeconds(call.floodWaitSeconds), answer, call.floodWaitSeconds));
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

  private ObjectNode handle(ObjectNode request, Call call, Instant now) {
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
      case "getChat" -> withChat(request, this::chatObject);
      case "openChat" -> withChat(request, chat -> {
        openedChats.add(chat.id);
        return TdObjects.ok();
      });
      case "closeChat" -> withChat(request, chat -> {
        openedChats.remove(chat.id);
        return TdObjects.ok();
      });
      case "getChatHistory" -> getChatHistory(request, call);
      case "getMessage" -> getMessage(request, call);
      case "getChatMessageCount" -> getChatMessageCount(request, call);
      case "getMe" -> userObject(World.ME_ID);
      case "getUser" -> userObject(request.path("user_id").asLong());
      case "getBasicGroup" -> withEntity(request.path("basic_group_id").asLong(), false, "Basic group not found",
          this::basicGroupObject);
      case "getSupergroup" -> withEntity(request.path("supergroup_id").asLong(), true, "Supergroup not found",
          this::supergroupObject);
      case "getSupergroupFullInfo" -> withEntity(request.path("supergroup_id").asLong(), true, "Supergroup not found",
          chat -> {
            ObjectNode refusal = call.reachServer(0);
            return refusal != null ? refusal : supergroupFullInfo(chat);
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

  private ObjectNode loadChats(ObjectNode request, Call call) {
    int limit = request.path("limit").asInt();
    if (limit <= 0) {
      return TdObjects.error(400, "Parameter limit must be positive");
    }
    ObjectNode listError = checkChatList(request);
    if (listError != null) {
      return listError;
    }
    ObjectNode refusal = call.reachServer(0);
    if (refusal != null) {
      return refusal;
    }
    return loadMore(limit) == 0 ? TdObjects.error(404, "Not Found") : TdObjects.ok();
  }

  private ObjectNode getChats(ObjectNode request, Call call) {
    int limit = request.path("limit").asInt();
    if (limit <= 0) {
      return TdObjects.error(400, "Parameter limit must be positive");
    }
    ObjectNode listError = checkChatList(request);
    if (listError != null) {
      return listError;
    }
    ObjectNode refusal = call.reachServer(0);
    if (refusal != null) {
      return refusal;
    }
    loadMore(limit - loadedChats.size());
    List<WorldChat> listed = chatsInOrder(true);
    ObjectNode chats = TdObjects.object("chats").put("total_count", chatsInOrder(false).size());
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

  /** Announces up to {@code limit} more chats in list order; returns how many. */
  private int loadMore(int limit) {
    List<WorldChat> next = chatsInOrder(false).stream()
        .filter(chat -> !loadedChats.contains(chat.id))
        .limit(Math.max(0, limit))
        .toList();
    for (WorldChat chat : next) {
      announceChat(chat);
      emit(TdObjects.updateChatPosition(chat.id, chat.order()));
      loadedChats.add(chat.id);
    }
    return next.size();
  }

  private List<WorldChat> chatsInOrder(boolean loadedOnly) {
    return world.chats().stream()
        .filter(chat -> !chat.deleted && (!loadedOnly || loadedChats.contains(chat.id)))
        .sorted(Comparator.comparingLong(WorldChat::order).reversed())
        .toList();
  }

  private ObjectNode withChat(ObjectNode request, Function<WorldChat, ObjectNode> action) {
    ChatLookup lookup = lookupChat(request.path("chat_id").asLong());
    return lookup.error() != null ? lookup.error() : action.apply(lookup.chat());
  }

  private ChatLookup lookupChat(long chatId) {
    if (!isValidChatId(chatId)) {
      return new ChatLookup(null, TdObjects.error(400, "Invalid chat identifier specified"));
    }
    WorldChat chat = world.chat(chatId);
    if (chat == null || chat.deleted || !knownChats.contains(chatId)) {
      return new ChatLookup(null, TdObjects.error(400, "Chat not found"));
    }
    return new ChatLookup(chat, null);
  }

  /** The ranges of TDLib's DialogId: users, basic groups, channels and secret chats. */
  private static boolean isValidChatId(long chatId) {
    long supergroupId = -1_000_000_000_000L - chatId;
    long secretChatId = chatId + 2_000_000_000_000L;
    return (chatId > 0 && chatId < (1L << 40))
        || (chatId < 0 && chatId > -1_000_000_000_000L)
        || (supergroupId > 0 && supergroupId < 1_000_000_000_000L - (1L << 31))
        || (secretChatId != 0 && secretChatId >= Integer.MIN_VALUE && secretChatId <= Integer.MAX_VALUE);
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

  // ---- messages ----

  private ObjectNode getChatHistory(ObjectNode request, Call call) {
    long fromMessageId = request.path("from_message_id").asLong();
    int offset = request.path("offset").asInt();
    int limit = request.path("limit").asInt();
    if (limit <= 0) {
      return TdObjects.error(400, "Parameter limit must be positive");
    }
    limit = Math.min(limit, MAX_HISTORY_LIMIT);
    if (offset > 0) {
      return TdObjects.error(400, "Parameter offset must be non-positive");
    }
    if (offset <= -MAX_HISTORY_LIMIT) {
      return TdObjects.error(400, "Parameter offset must be greater than -100");
    }
    if (offset < -limit) {
      return TdObjects.error(400, "Parameter offset must be greater than or equal to -limit");
    }
    if (fromMessageId == 0 || fromMessageId > ChatHistory.MAX_MESSAGE_ID) {
      fromMessageId = ChatHistory.MAX_MESSAGE_ID;
    }
    if (!isValidMessageId(fromMessageId)) {
      return TdObjects.error(400, "Invalid value of parameter from_message_id specified");
    }
    ChatLookup lookup = lookupChat(request.path("chat_id").asLong());
    if (lookup.error() != null) {
      return lookup.error();
    }
    WorldChat chat = lookup.chat();
    ObjectNode denied = checkAccess(chat, call);
    if (denied != null) {
      return denied;
    }
    if (request.path("only_local").asBoolean()) {
      // this instance keeps no message database, so nothing is local
      return messagesObject(chat, new int[0]);
    }
    ObjectNode refusal = call.reachServer(chat.id);
    if (refusal != null) {
      return refusal;
    }
    int[] page = chat.history.page(fromMessageId, offset, limit);
    int returned = returnedCount(chat, page.length, Texts.hash(world.seed(), chat.id, fromMessageId, offset, limit));
    return messagesObject(chat, Arrays.copyOf(page, returned));
  }

  /**
   * TDLib returns as many messages as it has at hand: the first call for a chat only its last message, and some later
   * pages stop early at a gap in what it loaded; never none unless the history really ends.
   */
  private int returnedCount(WorldChat chat, int available, long hash) {
    if (available == 0) {
      return 0;
    }
    if (historyRequested.add(chat.id)) {
      return 1;
    }
    if (available > 1 && Texts.pick(hash, 100) < SHORT_PAGE_PERCENT) {
      return 1 + Texts.pick(hash >>> 8, available - 1);
    }
    return available;
  }

  /** TDLib's MessageId::is_valid: a server id, or a local or yet-unsent one. */
  private static boolean isValidMessageId(long messageId) {
    if (messageId <= 0 || messageId > ChatHistory.MAX_MESSAGE_ID) {
      return false;
    }
    long type = messageId & 7;
    return (messageId & ((1L << ChatHistory.SERVER_ID_SHIFT) - 1)) == 0 || type == 1 || type == 2;
  }

  /** A chat the account lost: the server says CHANNEL_PRIVATE once, after that TDLib knows by itself. */
  private ObjectNode checkAccess(WorldChat chat, Call call) {
    if (chat.accessible) {
      return null;
    }
    if (channelPrivateReported.add(chat.id)) {
      ObjectNode refusal = call.reachServer(chat.id);
      return refusal != null ? refusal : TdObjects.error(400, "CHANNEL_PRIVATE");
    }
    return TdObjects.error(400, "Can't access the chat");
  }

  private ObjectNode messagesObject(WorldChat chat, int[] indices) {
    ObjectNode result = TdObjects.object("messages").put("total_count", indices.length);
    ArrayNode list = result.putArray("messages");
    for (int index : indices) {
      list.add(messageObject(chat, index));
    }
    return result;
  }

  private ObjectNode getMessage(ObjectNode request, Call call) {
    ChatLookup lookup = lookupChat(request.path("chat_id").asLong());
    if (lookup.error() != null) {
      return lookup.error();
    }
    long messageId = request.path("message_id").asLong();
    if (!isValidMessageId(messageId)) {
      return TdObjects.error(400, "Invalid message identifier specified");
    }
    WorldChat chat = lookup.chat();
    ObjectNode denied = checkAccess(chat, call);
    if (denied != null) {
      return denied;
    }
    ObjectNode refusal = call.reachServer(chat.id);
    if (refusal != null) {
      return refusal;
    }
    int index = chat.history.indexOf(messageId);
    if (index < 0 || chat.history.isDeleted(index)) {
      return TdObjects.error(404, "Not Found");
    }
    return messageObject(chat, index);
  }

  private ObjectNode getChatMessageCount(ObjectNode request, Call call) {
    ChatLookup lookup = lookupChat(request.path("chat_id").asLong());
    if (lookup.error() != null) {
      return lookup.error();
    }
    String filter = request.path("filter").path("@type").asText("searchMessagesFilterEmpty");
    if (!filter.isEmpty() && !filter.equals("searchMessagesFilterEmpty")) {
      return TdObjects.error(400, "The simulator counts only with searchMessagesFilterEmpty");
    }
    if (request.path("return_local").asBoolean()) {
      return TdObjects.object("count").put("count", -1);
    }
    WorldChat chat = lookup.chat();
    ObjectNode denied = checkAccess(chat, call);
    if (denied != null) {
      return denied;
    }
    ObjectNode refusal = call.reachServer(chat.id);
    return refusal != null ? refusal : TdObjects.object("count").put("count", chat.history.liveCount());
  }

  private ObjectNode messageObject(WorldChat chat, int index) {
    ObjectNode message = messages.message(chat, index);
    ObjectNode sender = (ObjectNode) message.get("sender_id");
    if (sender.path("@type").asText().equals("messageSenderUser")) {
      announceUser(sender.path("user_id").asLong());
    }
    return message;
  }

  private ObjectNode lastMessageObject(WorldChat chat) {
    int index = chat.history.lastLiveIndex();
    return index < 0 ? null : messageObject(chat, index);
  }

  // ---- users and groups ----

  private ObjectNode userObject(long userId) {
    SimUser user = world.user(userId);
    return user == null ? TdObjects.error(400, "User not found") : TdObjects.user(user);
  }

  private ObjectNode getContacts(Call call) {
    ObjectNode refusal = call.reachServer(0);
    if (refusal != null) {
      return refusal;
    }
    List<Long> contacts = world.users().stream().filter(SimUser::contact).map(SimUser::id).toList();
    contacts.forEach(this::announceUser);
    ObjectNode users = TdObjects.object("users").put("total_count", contacts.size());
    ArrayNode ids = users.putArray("user_ids");
    contacts.forEach(ids::add);
    return users;
  }

  private ObjectNode basicGroupObject(WorldChat chat) {
    long upgradedTo = chat.upgradedAway ? world.chat(chat.upgradeLinkedChatId).entityId : 0;
    return TdObjects.basicGroup(chat, upgradedTo);
  }

  private ObjectNode supergroupObject(WorldChat chat) {
    return TdObjects.supergroup(chat, chat.createdDate);
  }

  private ObjectNode supergroupFullInfo(WorldChat chat) {
    if (chat.upgradeLinkedChatId == 0) {
      return TdObjects.supergroupFullInfo(chat, 0, 0);
    }
    WorldChat basicGroup = world.chat(chat.upgradeLinkedChatId);
    ChatHistory history = basicGroup.history;
    return TdObjects.supergroupFullInfo(chat, basicGroup.entityId,
        history.size() == 0 ? 0 : history.messageIdAt(history.size() - 1));
  }

  private ObjectNode chatObject(WorldChat chat) {
    int live = chat.history.liveCount();
    long hash = Texts.hash(world.seed(), chat.id, 16);
    int unread = Texts.pick(hash, 4) == 0 ? Math.min(live, 1 + Texts.pick(hash >>> 8, 30)) : 0;
    return TdObjects.chat(chat, lastMessageObject(chat), unread, lastReadInboxMessageId(chat, unread));
  }

  /** The newest message before the {@code unread} newest ones; 0 if none. */
  private static long lastReadInboxMessageId(WorldChat chat, int unread) {
    ChatHistory history = chat.history;
    int skipped = 0;
    for (int i = history.lastLiveIndex(); i >= 0; i--) {
      if (!history.isDeleted(i) && skipped++ == unread) {
        return history.messageIdAt(i);
      }
    }
    return 0;
  }

  // ---- updates ----

  /** TDLib sends updateNewChat (and the chat's users and groups) before it first names a chat. */
  private void announceChat(WorldChat chat) {
    if (!knownChats.add(chat.id)) {
      return;
    }
    switch (chat.kind) {
      case PRIVATE -> announceUser(chat.partnerUserId);
      case SECRET -> {
        announceUser(chat.partnerUserId);
        emit(TdObjects.update("updateSecretChat", "secret_chat", TdObjects.secretChat(chat)));
      }
      case BASIC_GROUP -> emit(TdObjects.update("updateBasicGroup", "basic_group", basicGroupObject(chat)));
      case SUPERGROUP, CHANNEL -> emit(TdObjects.update("updateSupergroup", "supergroup", supergroupObject(chat)));
    }
    emit(TdObjects.update("updateNewChat", "chat", chatObject(chat)));
  }

  private void announceUser(long userId) {
    SimUser user = world.user(userId);
    if (user != null && knownUsers.add(userId)) {
      emit(TdObjects.update("updateUser", "user", TdObjects.user(user)));
    }
  }

  private void sendLastMessage(WorldChat chat) {
    announceChat(chat);
    ObjectNode update = TdObjects.object("updateChatLastMessage").put("chat_id", chat.id);
    ObjectNode last = lastMessageObject(chat);
    if (last != null) {
      update.set("last_message", last);
    }
    update.putArray("positions").add(TdObjects.chatPosition(chat.order()));
    emit(update);
  }

  private boolean isReady() {
    return login.state() == Login.State.READY;
  }

  /** Supergroups and channels send their updates only while the chat is open. */
  private boolean hearsUpdatesOf(WorldChat chat) {
    return !chat.kind.isSupergroup() || openedChats.contains(chat.id);
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
    if (!hearsUpdatesOf(chat) || index < 0 || chat.history.isDeleted(index)) {
      sendLastMessage(chat);
      return;
    }
    announceChat(chat);
    emit(TdObjects.update("updateNewMessage", "message", messageObject(chat, index)));
    sendLastMessage(chat);
  }

  @Override
  public void messagesSkipped(WorldChat chat) {
    if (isReady() && !deferredWhileOffline(chat, () -> messagesSkipped(chat), true)) {
      sendLastMessage(chat);
    }
  }

  @Override
  public void messageEdited(WorldChat chat, long messageId) {
    if (!isReady() || !knownChats.contains(chat.id)
        || deferredWhileOffline(chat, () -> messageEdited(chat, messageId), false) || !hearsUpdatesOf(chat)) {
      return;
    }
    int index = chat.history.indexOf(messageId);
    if (index < 0 || chat.history.isDeleted(index)) {
      return;
    }
    ObjectNode message = messageObject(chat, index);
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
    if (!isReady() || !knownChats.contains(chat.id)
        || deferredWhileOffline(chat, () -> messagesDeleted(chat, messageIds, permanent), permanent)) {
      return;
    }
    if (!permanent || hearsUpdatesOf(chat)) {
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
      sendLastMessage(chat);
    }
  }

  @Override
  public void chatChanged(WorldChat chat) {
    if (!isReady() || !knownChats.contains(chat.id)) {
      return;
    }
    if (chat.kind == ChatKind.BASIC_GROUP) {
      emit(TdObjects.update("updateBasicGroup", "basic_group", basicGroupObject(chat)));
    } else if (chat.kind.isSupergroup()) {
      emit(TdObjects.update("updateSupergroup", "supergroup", supergroupObject(chat)));
      ObjectNode fullInfo = TdObjects.object("updateSupergroupFullInfo").put("supergroup_id", chat.entityId);
      fullInfo.set("supergroup_full_info", supergroupFullInfo(chat));
      emit(fullInfo);
    }
  }

  @Override
  public void chatDeleted(WorldChat chat) {
    if (isReady() && knownChats.contains(chat.id)) {
      emit(TdObjects.updateChatPosition(chat.id, 0));
    }
  }

  @Override
  public void userChanged(SimUser user) {
    if (isReady()) {
      knownUsers.add(user.id());
      emit(TdObjects.update("updateUser", "user", TdObjects.user(user)));
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
    skippedChats.forEach(this::sendLastMessage);
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
    announceUser(World.ME_ID);
    emit(TdObjects.connectionState(
        telegram.isOffline() ? "connectionStateWaitingForNetwork" : "connectionStateReady"));
  }

  private void emit(ObjectNode object) {
    sink.emit(id, object);
  }
}
