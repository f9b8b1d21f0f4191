package dev.tg.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What one TDLib instance knows of the world: the chats and users it has announced (TDLib names nothing before its
 * update), the chats loaded into its list and those it opened; and the TDLib objects it builds from the world.
 */
final class ClientView {
  record ChatLookup(WorldChat chat, ObjectNode error) {}

  private final World world;
  private final MessageFactory messages;
  private final Consumer<ObjectNode> emit;
  private final Set<Long> knownChats = new HashSet<>();
  private final Set<Long> loadedChats = new HashSet<>();
  private final Set<Long> knownUsers = new HashSet<>();
  private final Set<Long> openedChats = new HashSet<>();

  ClientView(World world, Consumer<ObjectNode> emit) {
    this.world = world;
    this.messages = world.messages();
    this.emit = emit;
  }

  boolean knows(WorldChat chat) {
    return knownChats.contains(chat.id);
  }

  int loadedCount() {
    return loadedChats.size();
  }

  void open(WorldChat chat) {
    openedChats.add(chat.id);
  }

  void close(WorldChat chat) {
    openedChats.remove(chat.id);
  }

  /** Announces a changed user; TDLib then knows it. */
  void userChanged(SimUser user) {
    knownUsers.add(user.id());
    emit(TdObjects.update("updateUser", "user", TdObjects.user(user)));
  }

  /** Announces up to {@code limit} more chats in list order; returns how many. */
  int loadMore(int limit) {
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

  List<WorldChat> chatsInOrder(boolean loadedOnly) {
    return world.chats().stream()
        .filter(chat -> !chat.deleted && (!loadedOnly || loadedChats.contains(chat.id)))
        .sorted(Comparator.comparingLong(WorldChat::order).reversed())
        .toList();
  }

  ChatLookup lookupChat(long chatId) {
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

  ObjectNode messageObject(WorldChat chat, int index) {
    ObjectNode message = messages.message(chat, index);
    ObjectNode sender = (ObjectNode) message.get("sender_id");
    if (sender.path("@type").asText().equals("messageSenderUser")) {
      announceUser(sender.path("user_id").asLong());
    }
    return message;
  }

  ObjectNode lastMessageObject(WorldChat chat) {
    int index = chat.history.lastLiveIndex();
    return index < 0 ? null : messageObject(chat, index);
  }

  ObjectNode basicGroupObject(WorldChat chat) {
    long upgradedTo = chat.upgradedAway ? world.chat(chat.upgradeLinkedChatId).entityId : 0;
    return TdObjects.basicGroup(chat, upgradedTo);
  }

  ObjectNode supergroupObject(WorldChat chat) {
    return TdObjects.supergroup(chat, chat.createdDate);
  }

  ObjectNode supergroupFullInfo(WorldChat chat) {
    if (chat.upgradeLinkedChatId == 0) {
      return TdObjects.supergroupFullInfo(chat, 0, 0);
    }
    WorldChat basicGroup = world.chat(chat.upgradeLinkedChatId);
    ChatHistory history = basicGroup.history;
    return TdObjects.supergroupFullInfo(chat, basicGroup.entityId,
        history.size() == 0 ? 0 : history.messageIdAt(history.size() - 1));
  }

  ObjectNode chatObject(WorldChat chat) {
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

  /** TDLib sends updateNewChat (and the chat's users and groups) before it first names a chat. */
  void announceChat(WorldChat chat) {
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
    update.putArray("positions").add(TdObjects.chatPosition(chat.order()));
    emit(update);
  }

  /** Supergroups and channels send their updates only while the chat is open. */
  boolean hearsUpdatesOf(WorldChat chat) {
    return !chat.kind.isSupergroup() || openedChats.contains(chat.id);
  }

  private void emit(ObjectNode object) {
    emit.accept(object);
  }
}
