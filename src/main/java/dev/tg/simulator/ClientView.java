package dev.tg.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.simulator.SimChat.ChatList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What one TDLib instance knows of the world: the chats, groups and users it has announced (TDLib names nothing
 * before its update), the chats loaded into each list, those it opened and those it found it lost; and the TDLib
 * objects it builds from the world. Messages it renders go to its message database, if it keeps one.
 */
final class ClientView {
  record ChatLookup(WorldChat chat, ObjectNode error) {}

  private final World world;
  private final MessageFactory messages;
  private final Consumer<ObjectNode> emit;
  private final Set<Long> knownChats = new HashSet<>();
  /** Chats whose basic group or supergroup object was announced. */
  private final Set<Long> knownGroups = new HashSet<>();
  private final Map<ChatList, Set<Long>> loadedChats = new EnumMap<>(ChatList.class);
  private final Set<Long> knownUsers = new HashSet<>();
  /** MessagesManager's Dialog::open_count of each open chat. */
  private final Map<Long, Integer> openCounts = new HashMap<>();
  /** Chats the server answered CHANNEL_PRIVATE for: TDLib then treats them as left. */
  private final Set<Long> revokedChats = new HashSet<>();
  /** The list each announced chat was last told to be in. */
  private final Map<Long, ChatList> toldLists = new HashMap<>();
  private final Set<Long> knownScheduledMessages = new HashSet<>();
  /** Chats last told to have scheduled messages (updateChatHasScheduledMessages). */
  private final Set<Long> toldHaveScheduled = new HashSet<>();
  private boolean useSecretChats;
  private MessageDatabase database;
  /** Messages the instance has shown: TDLib keeps them (in memory or its database) and reads them again locally. */
  private final Map<Long, Set<Long>> shownMessages = new HashMap<>();

  ClientView(World world, Consumer<ObjectNode> emit) {
    this.world = world;
    this.messages = world.messages();
    this.emit = emit;
  }

  /** What setTdlibParameters chose: whether secret chats exist for this instance, and its message database. */
  void configure(boolean secretChats, MessageDatabase messageDatabase) {
    useSecretChats = secretChats;
    database = messageDatabase;
  }

  MessageDatabase database() {
    return database;
  }

  boolean usesSecretChats() {
    return useSecretChats;
  }

  /** SecretChatsManager ignores every secret chat update unless use_secret_chats is set. */
  boolean sees(WorldChat chat) {
    return chat.kind != ChatKind.SECRET || useSecretChats;
  }

  boolean knows(WorldChat chat) {
    return knownChats.contains(chat.id);
  }

  boolean knowsGroup(WorldChat chat) {
    return knownGroups.contains(chat.id);
  }

  boolean knowsUser(long userId) {
    return knownUsers.contains(userId);
  }

  int loadedCount(ChatList list) {
    return loaded(list).size();
  }

  /** MessagesManager::open_dialog: true for the first opening, which is the one that asks the server for more. */
  boolean open(WorldChat chat) {
    return openCounts.merge(chat.id, 1, Integer::sum) == 1;
  }

  void close(WorldChat chat) {
    openCounts.computeIfPresent(chat.id, (id, count) -> count == 1 ? null : count - 1);
  }

  /** Announces a changed user; TDLib then knows it. */
  void userChanged(SimUser user) {
    knownUsers.add(user.id());
    emit(TdObjects.update("updateUser", "user", TdObjects.user(user)));
  }

  /** Announces up to {@code limit} more chats of the list in its order; returns how many. */
  int loadMore(ChatList list, int limit) {
    List<WorldChat> next = chatsInOrder(list, false).stream()
        .filter(chat -> !loaded(list).contains(chat.id))
        .limit(Math.max(0, limit))
        .toList();
    for (WorldChat chat : next) {
      announceChat(chat);
      emit(TdObjects.updateChatPosition(chat.id, list, chat.order()));
      toldLists.put(chat.id, list);
      loaded(list).add(chat.id);
    }
    return next.size();
  }

  List<WorldChat> chatsInOrder(ChatList list, boolean loadedOnly) {
    return world.chats().stream()
        .filter(chat -> sees(chat) && listOf(chat) == list && (!loadedOnly || loaded(list).contains(chat.id)))
        .sorted(Comparator.comparingLong(WorldChat::order).reversed())
        .toList();
  }

  private Set<Long> loaded(ChatList list) {
    return loadedChats.computeIfAbsent(list, key -> new HashSet<>());
  }

  /** TDLib keeps every chat it announced: "Chat not found" is only for ids this instance never saw. */
  ChatLookup lookupChat(long chatId) {
    if (!isValidChatId(chatId)) {
      return new ChatLookup(null, TdObjects.error(400, "Invalid chat identifier specified"));
    }
    WorldChat chat = world.chat(chatId);
    if (chat == null || !knownChats.contains(chatId)) {
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

  /**
   * DialogManager::have_input_peer with AccessRights::Read: a basic group stays readable after leaving it
   * (ChatManager::have_input_peer_chat), a supergroup or channel only while a member or public
   * (ChatManager::have_input_peer_channel); a deleted chat or one found lost is not.
   */
  boolean hasReadAccess(WorldChat chat) {
    return !chat.deleted && !revokedChats.contains(chat.id)
        && (!chat.kind.isSupergroup() || chat.member || chat.foreign);
  }

  /** The server said CHANNEL_PRIVATE: ChatManager::on_get_channel_error emulates leaving; the chat leaves its list. */
  void revoke(WorldChat chat) {
    revokedChats.add(chat.id);
    if (chat.kind.isSupergroup()) {
      groupChanged(chat);
    }
    refreshPosition(chat);
  }

  /** The list this instance shows the chat in. */
  ChatList listOf(WorldChat chat) {
    return revokedChats.contains(chat.id) ? ChatList.NONE : chat.list();
  }

  /** updateChatPosition with order 0 for the list the chat left, with its order for the list it entered. */
  void refreshPosition(WorldChat chat) {
    ChatList now = listOf(chat);
    ChatList before = toldLists.get(chat.id);
    if (before == null || now == before) {
      return;
    }
    toldLists.put(chat.id, now);
    if (before != ChatList.NONE) {
      emit(TdObjects.updateChatPosition(chat.id, before, 0));
    }
    if (now != ChatList.NONE) {
      emit(TdObjects.updateChatPosition(chat.id, now, chat.order()));
    }
  }

  /** A message of the history, after the users and chats it names (Dependencies::resolve_force). */
  ObjectNode messageObject(WorldChat chat, int index) {
    ObjectNode message = messages.message(chat, index);
    announceDependencies(message);
    shownMessages.computeIfAbsent(chat.id, id -> new HashSet<>()).add(message.path("id").asLong());
    if (database != null) {
      database.store(chat.id, message.path("id").asLong(), message);
    }
    return message;
  }

  boolean hasShown(long chatId, long messageId) {
    return shownMessages.getOrDefault(chatId, Set.of()).contains(messageId);
  }

  ObjectNode scheduledMessageObject(WorldChat chat, WorldChat.ScheduledMessage scheduled) {
    ObjectNode message = messages.scheduledMessage(chat, scheduled);
    announceDependencies(message);
    knownScheduledMessages.add(scheduled.id());
    return message;
  }

  /** Whether TDLib had the scheduled message, which do_delete_scheduled_message needs to tell its deletion. */
  boolean forgetScheduledMessage(long scheduledMessageId) {
    return knownScheduledMessages.remove(scheduledMessageId);
  }

  /** MessagesManager::send_update_chat_has_scheduled_messages: only when the answer changes. */
  void sendHasScheduledMessages(WorldChat chat) {
    boolean has = !chat.scheduled.isEmpty();
    if (knows(chat) && has != toldHaveScheduled.contains(chat.id)) {
      if (has) {
        toldHaveScheduled.add(chat.id);
      } else {
        toldHaveScheduled.remove(chat.id);
      }
      emit(TdObjects.object("updateChatHasScheduledMessages")
          .put("chat_id", chat.id)
          .put("has_scheduled_messages", has));
    }
  }

  /**
   * MessageForwardInfo::add_dependencies and the content's: the sender, the channel a message was forwarded from
   * (force_create_dialog sends its updateNewChat, with no positions) and the groups of an upgrade.
   */
  private void announceDependencies(ObjectNode message) {
    JsonNode sender = message.get("sender_id");
    if (sender.path("@type").asText().equals("messageSenderUser")) {
      announceUser(sender.path("user_id").asLong());
    }
    JsonNode origin = message.path("forward_info").path("origin");
    if (origin.path("@type").asText().equals("messageOriginChannel")) {
      announceChat(world.chat(origin.path("chat_id").asLong()));
    }
    WorldChat chat = world.chat(message.path("chat_id").asLong());
    String content = message.path("content").path("@type").asText();
    if (content.equals("messageChatUpgradeFrom") || content.equals("messageChatUpgradeTo")) {
      announceGroup(world.chat(chat.upgradeLinkedChatId));
    }
  }

  ObjectNode lastMessageObject(WorldChat chat) {
    int index = chat.history.lastLiveIndex();
    return index < 0 ? null : messageObject(chat, index);
  }

  private ObjectNode memberStatus(WorldChat chat) {
    return TdObjects.memberStatus(chat.deleted || revokedChats.contains(chat.id), chat.member);
  }

  ObjectNode basicGroupObject(WorldChat chat) {
    long upgradedTo = chat.upgradedAway ? world.chat(chat.upgradeLinkedChatId).entityId : 0;
    return TdObjects.basicGroup(chat, memberStatus(chat), upgradedTo);
  }

  ObjectNode supergroupObject(WorldChat chat) {
    return TdObjects.supergroup(chat, memberStatus(chat));
  }

  /** The full info of a supergroup upgraded from a basic group comes with that group (updateBasicGroup first). */
  ObjectNode supergroupFullInfo(WorldChat chat) {
    if (chat.upgradeLinkedChatId == 0) {
      return TdObjects.supergroupFullInfo(chat, 0, 0);
    }
    WorldChat basicGroup = world.chat(chat.upgradeLinkedChatId);
    announceGroup(basicGroup);
    ChatHistory history = basicGroup.history;
    return TdObjects.supergroupFullInfo(chat, basicGroup.entityId,
        history.size() == 0 ? 0 : history.messageIdAt(history.size() - 1));
  }

  ObjectNode chatObject(WorldChat chat) {
    int live = chat.history.liveCount();
    long hash = Texts.hash(world.seed(), chat.id, 16);
    int unread = Texts.pick(hash, 4) == 0 ? Math.min(live, 1 + Texts.pick(hash >>> 8, 30)) : 0;
    return TdObjects.chat(chat, lastMessageObject(chat), positions(chat), unread, lastReadInboxMessageId(chat, unread));
  }

  private ArrayNode positions(WorldChat chat) {
    return TdObjects.chatPositions(listOf(chat), chat.order());
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

  /** TDLib sends updateNewChat (and the chat's users and groups) before it first names a chat. */
  void announceChat(WorldChat chat) {
    if (!knownChats.add(chat.id)) {
      return;
    }
    switch (chat.kind) {
      case PRIVATE -> announceUser(chat.partnerUserId);
      case SECRET -> {
        announceUser(chat.partnerUserId);
        emit(TdObjects.update("updateSecretChat", "secret_chat", TdObjects.secretChat(chat, true)));
      }
      case BASIC_GROUP, SUPERGROUP, CHANNEL -> announceGroup(chat);
    }
    toldLists.put(chat.id, listOf(chat));
    if (!chat.scheduled.isEmpty()) {
      toldHaveScheduled.add(chat.id);
    }
    emit(TdObjects.update("updateNewChat", "chat", chatObject(chat)));
  }

  /** updateBasicGroup or updateSupergroup, once, before anything names the group. */
  private void announceGroup(WorldChat chat) {
    if (knownGroups.add(chat.id)) {
      emitGroup(chat);
    }
  }

  /** A group's member count or status changed: the group again, and a supergroup's full info. */
  void groupChanged(WorldChat chat) {
    if (!knownGroups.contains(chat.id)) {
      return;
    }
    emitGroup(chat);
    if (chat.kind.isSupergroup()) {
      ObjectNode fullInfo = TdObjects.object("updateSupergroupFullInfo").put("supergroup_id", chat.entityId);
      fullInfo.set("supergroup_full_info", supergroupFullInfo(chat));
      emit(fullInfo);
    }
  }

  private void emitGroup(WorldChat chat) {
    if (chat.kind == ChatKind.BASIC_GROUP) {
      emit(TdObjects.update("updateBasicGroup", "basic_group", basicGroupObject(chat)));
    } else {
      emit(TdObjects.update("updateSupergroup", "supergroup", supergroupObject(chat)));
    }
  }

  void announceUser(long userId) {
    SimUser user = world.user(userId);
    if (user != null && knownUsers.add(userId)) {
      emit(TdObjects.update("updateUser", "user", TdObjects.user(user)));
    }
  }

  void sendLastMessage(WorldChat chat) {
    announceChat(chat);
    ObjectNode update = TdObjects.object("updateChatLastMessage").put("chat_id", chat.id);
    ObjectNode last = lastMessageObject(chat);
    if (last != null) {
      update.set("last_message", last);
    }
    update.set("positions", positions(chat));
    emit(update);
  }

  /** Supergroups and channels send their updates only while the chat is open. */
  boolean hearsUpdatesOf(WorldChat chat) {
    return !chat.kind.isSupergroup() || openCounts.containsKey(chat.id);
  }

  private void emit(ObjectNode object) {
    emit.accept(object);
  }
}
