package dev.tg.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.archive.Archive;
import dev.tg.archive.ChatRecord;
import dev.tg.archive.MessageChange;
import dev.tg.archive.MessageRecord;
import dev.tg.archive.UserRecord;
import dev.tg.chat.ChatSync;
import dev.tg.chat.Chats;
import dev.tg.contacts.Contacts;
import dev.tg.scheduler.Priority;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.status.Status;
import dev.tg.telegram.TdChat;
import dev.tg.telegram.TdClient;
import dev.tg.telegram.TdException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account's routing of TDLib updates to the chat actors, contacts and status. It keeps what TDLib says of each
 * chat: kind, member count, upgrades, and its positions in the chat lists. A chat is the user's while it has a
 * position in the main or the archive list (folders are subsets of those), or is the pre-upgrade basic group of
 * one; other chats TDLib announces (forward origins, chats of replies) are recorded, never synced. Runs on the
 * account actor's thread.
 */
final class UpdateRouter {
  private static final Logger log = LoggerFactory.getLogger(UpdateRouter.class);
  private static final Duration PING_INTERVAL = Duration.ofSeconds(1);

  /** A chat's size and successor, looked up once. */
  record Membership(int memberCount, long upgradedToChatId) {}

  /** An {@code updateMessageContent} waiting to see whether {@code updateMessageEdited} follows it. */
  private record HeldContent(long chatId, long messageId, String contentJson, String text, boolean realTime) {}

  private final String account;
  private final ActorContext<Account.Command> context;
  private final ScheduledClient telegram;
  private final Archive archive;
  private final ActorRef<Chats.Command> chats;
  private final ActorRef<Contacts.Command> contacts;
  private final ActorRef<Status.Command> status;
  private final Duration catchUpAfterOffline;
  private final Map<Long, TdChat> known = new HashMap<>();
  private final Map<Long, Map<String, Long>> positions = new HashMap<>();
  private final Map<Long, Long> predecessors = new HashMap<>();
  private final Set<Long> resolved = new HashSet<>();
  private final Map<Long, Integer> memberCounts = new HashMap<>();
  private final Map<Long, Long> upgradedTo = new HashMap<>();
  private Set<Long> chatsWithJournal = Set.of();
  private boolean ready;
  private Instant offlineSince;
  private HeldContent heldContent;
  private Instant lastPing = Instant.EPOCH;

  UpdateRouter(String account, ActorContext<Account.Command> context, ScheduledClient telegram, Archive archive,
      ActorRef<Chats.Command> chats, ActorRef<Contacts.Command> contacts, ActorRef<Status.Command> status,
      Duration catchUpAfterOffline) {
    this.account = account;
    this.context = context;
    this.telegram = telegram;
    this.archive = archive;
    this.chats = chats;
    this.contacts = contacts;
    this.status = status;
    this.catchUpAfterOffline = catchUpAfterOffline;
  }

  /** The user's chats: those with a position in a chat list, and the basic groups they were upgraded from. */
  Set<Long> members() {
    return known.keySet().stream().filter(this::isMember).collect(Collectors.toSet());
  }

  /** Chats with a journal keep their policy: their member counts are not looked up again. */
  void chatsWithJournal(Set<Long> chatIds) {
    chatsWithJournal = chatIds;
  }

  void route(ObjectNode update) {
    heard();
    String type = update.path("@type").asText();
    if (!type.equals("updateMessageEdited")) {
      flushContent();
    }
    switch (type) {
      case "updateConnectionState" -> onConnectionState(update.path("state").path("@type").asText());
      case "updateNewChat" -> onNewChat(update.path("chat"));
      case "updateChatPosition" -> onPosition(update.path("chat_id").asLong(), update.path("position"));
      case "updateChatTitle" -> onChatTitle(update.path("chat_id").asLong(), update.path("title").asText());
      case "updateBasicGroup" -> onBasicGroup(update.path("basic_group"));
      case "updateSupergroup" -> onMemberCount(
          TdChat.supergroupChatId(update.path("supergroup").path("id").asLong()),
          update.path("supergroup").path("member_count").asInt());
      case "updateSupergroupFullInfo" -> onSupergroupFullInfo(update);
      case "updateNewMessage" -> {
        MessageRecord message = MessageRecord.of(update.path("message"));
        toChat(message.chatId(), new ChatSync.Live(new MessageChange.Added(message), ready));
      }
      case "updateMessageContent" -> {
        JsonNode content = update.path("new_content");
        heldContent = new HeldContent(update.path("chat_id").asLong(), update.path("message_id").asLong(),
            content.toString(), MessageRecord.textOf(content), ready);
      }
      case "updateMessageEdited" -> onMessageEdited(update);
      case "updateDeleteMessages" -> onDeleteMessages(update);
      case "updateChatLastMessage" -> toChat(update.path("chat_id").asLong(),
          new ChatSync.LastMessageChanged(update.path("last_message").path("id").asLong()));
      case "updateUser" -> contacts.tell(new Contacts.UserUpdated(UserRecord.of(update.path("user"))));
      default -> {
        // other updates carry nothing the sync keeps
      }
    }
  }

  // --- chats ---

  private void onNewChat(JsonNode chatJson) {
    TdChat chat = TdChat.of(chatJson);
    known.put(chat.id(), chat);
    chatJson.path("positions").forEach(position -> setPosition(chat.id(), position));
    saveChat(chat);
    if (isMember(chat.id())) {
      becameMember(chat);
      // a chat TDLib did not know (after a restart, say) may have been marked so: it is known again
      chats.tell(new Chats.MembershipChanged(chat.id(), true));
    }
  }

  private void onPosition(long chatId, JsonNode position) {
    boolean before = isMember(chatId);
    setPosition(chatId, position);
    boolean after = isMember(chatId);
    TdChat chat = known.get(chatId);
    if (!before && after && chat != null) {
      becameMember(chat);
      chats.tell(new Chats.MembershipChanged(chatId, true));
    } else if (before && !after) {
      context.getLog().info("[{}] chat [{}] left every chat list: its sync stops", account, chatId);
      chats.tell(new Chats.MembershipChanged(chatId, false));
    }
  }

  /** Positions in folders are left out: a chat in a folder is in the main or the archive list too. */
  private void setPosition(long chatId, JsonNode position) {
    String list = position.path("list").path("@type").asText();
    if (!list.equals("chatListMain") && !list.equals("chatListArchive")) {
      return;
    }
    long order = Long.parseLong(position.path("order").asText("0")); // an int64: a JSON string
    Map<String, Long> lists = positions.computeIfAbsent(chatId, id -> new HashMap<>());
    if (order == 0) {
      lists.remove(list);
    } else {
      lists.put(list, order);
    }
  }

  private boolean isMember(long chatId) {
    return !positions.getOrDefault(chatId, Map.of()).isEmpty() || predecessors.containsKey(chatId);
  }

  /** A chat of the user's is told to its actor, its member count looked up first unless its journal knows it. */
  private void becameMember(TdChat chat) {
    if (chatsWithJournal.contains(chat.id()) || resolved.contains(chat.id())) {
      chats.tell(seen(chat, memberCounts.getOrDefault(chat.id(), -1)));
      return;
    }
    context.pipeToSelf(membership(chat), (membership, failure) ->
        new Account.ChatResolved(chat, failure == null ? membership : new Membership(0, 0)));
  }

  void onChatResolved(TdChat chat, Membership membership) {
    resolved.add(chat.id());
    memberCounts.put(chat.id(), membership.memberCount());
    if (membership.upgradedToChatId() != 0) {
      upgradedTo.put(chat.id(), membership.upgradedToChatId());
    }
    chats.tell(seen(chat, membership.memberCount()));
    saveChat(chat);
  }

  /**
   * The pre-upgrade history of a user's supergroup (from {@code supergroupFullInfo.upgraded_from_basic_group_id},
   * the {@code messageChatUpgradeFrom} that begins its history, or the old group's own chat actor after a restart):
   * the old basic group is in no list, so TDLib is asked for its chat. {@code createBasicGroupChat} needs TDLib to
   * know the group ({@code MessagesManager::create_dialog}), which the supergroup's full info tells it.
   */
  void adoptPredecessor(long basicGroupId, long successorChatId) {
    long chatId = TdChat.basicGroupChatId(basicGroupId);
    TdChat successor = known.get(successorChatId);
    if (successor == null || !isMember(successorChatId) || predecessors.putIfAbsent(chatId, successorChatId) != null) {
      return;
    }
    upgradedTo.put(chatId, successorChatId);
    TdChat chat = known.get(chatId);
    if (chat != null) {
      becameMember(chat);
      chats.tell(new Chats.MembershipChanged(chatId, true));
      return;
    }
    // TDLib announces the chat with updateNewChat before it answers createBasicGroupChat
    telegram.send(successorChatId, Priority.P1,
            TdClient.request("getSupergroupFullInfo").put("supergroup_id", successor.groupId()))
        .thenCompose(info -> telegram.sendLocal(TdClient.request("createBasicGroupChat")
            .put("basic_group_id", basicGroupId).put("force", true)))
        .whenComplete((created, failure) -> {
          if (failure != null) {
            log.warn("[{}] the group chat [{}] was upgraded from cannot be opened: {}", account, chatId,
                TdException.unwrap(failure).getMessage());
          }
        });
  }

  private void onSupergroupFullInfo(JsonNode update) {
    long chatId = TdChat.supergroupChatId(update.path("supergroup_id").asLong());
    JsonNode info = update.path("supergroup_full_info");
    onMemberCount(chatId, info.path("member_count").asInt());
    long upgradedFrom = info.path("upgraded_from_basic_group_id").asLong();
    if (upgradedFrom != 0) {
      adoptPredecessor(upgradedFrom, chatId);
    }
  }

  private void saveChat(TdChat chat) {
    ChatRecord record = new ChatRecord(chat.id(), chat.kind().tableName(), chat.title(),
        memberCounts.getOrDefault(chat.id(), 0), upgradedTo.getOrDefault(chat.id(), 0L));
    archive.run(store -> store.saveChat(account, record));
  }

  /** The member count from TDLib's cache, or from the full info when the basic count is 0 (unknown). */
  private CompletionStage<Membership> membership(TdChat chat) {
    Integer cached = memberCounts.get(chat.id());
    if (cached != null && cached > 0) {
      return CompletableFuture.completedFuture(new Membership(cached, upgradedTo.getOrDefault(chat.id(), 0L)));
    }
    return switch (chat.kind()) {
      case PRIVATE, SECRET -> CompletableFuture.completedFuture(new Membership(2, 0));
      case BASIC_GROUP -> telegram.sendLocal(TdClient.request("getBasicGroup").put("basic_group_id", chat.groupId()))
          .thenApply(group -> new Membership(group.path("member_count").asInt(),
              group.path("upgraded_to_supergroup_id").asLong() == 0
                  ? 0
                  : TdChat.supergroupChatId(group.path("upgraded_to_supergroup_id").asLong())));
      case SUPERGROUP, CHANNEL -> telegram
          .sendLocal(TdClient.request("getSupergroup").put("supergroup_id", chat.groupId()))
          .thenCompose(group -> group.path("member_count").asInt() > 0
              ? CompletableFuture.completedFuture(group.path("member_count").asInt())
              : telegram.send(chat.id(), Priority.P0,
                      TdClient.request("getSupergroupFullInfo").put("supergroup_id", chat.groupId()))
                  .thenApply(info -> info.path("member_count").asInt()))
          .thenApply(count -> new Membership(count, 0));
    };
  }

  private void onChatTitle(long chatId, String title) {
    TdChat chat = known.get(chatId);
    if (chat != null) {
      TdChat renamed = new TdChat(chat.id(), chat.kind(), title, chat.groupId(), chat.lastMessageId());
      known.put(chatId, renamed);
      saveChat(renamed);
      if (isMember(chatId)) {
        chats.tell(seen(renamed, memberCounts.getOrDefault(chatId, -1)));
      }
    }
  }

  private void onBasicGroup(JsonNode group) {
    long chatId = TdChat.basicGroupChatId(group.path("id").asLong());
    long successor = group.path("upgraded_to_supergroup_id").asLong();
    if (successor != 0) {
      upgradedTo.put(chatId, TdChat.supergroupChatId(successor));
    }
    onMemberCount(chatId, group.path("member_count").asInt());
  }

  /** A count that changes may move the chat to another tier; the chat actor decides. */
  private void onMemberCount(long chatId, int count) {
    if (count <= 0) {
      return;
    }
    Integer before = memberCounts.put(chatId, count);
    TdChat chat = known.get(chatId);
    if (chat != null && isMember(chatId) && (before == null || before != count)) {
      chats.tell(seen(chat, count));
    }
  }

  private Chats.ChatSeen seen(TdChat chat, int memberCount) {
    return new Chats.ChatSeen(chat.id(), chat.title(), chat.kind(), memberCount,
        upgradedTo.getOrDefault(chat.id(), 0L), chat.lastMessageId());
  }

  // --- messages ---

  /**
   * TDLib sends the new content and then the edit date of an edit, one right after the other
   * ({@code MessagesManager::update_message}); content without an edit date is no edit (a link preview arrived).
   */
  private void onMessageEdited(JsonNode update) {
    long chatId = update.path("chat_id").asLong();
    long messageId = update.path("message_id").asLong();
    HeldContent content = heldContent != null && heldContent.chatId() == chatId
        && heldContent.messageId() == messageId ? heldContent : null;
    if (content == null) {
      flushContent();
    }
    heldContent = null;
    toChat(chatId, new ChatSync.Live(new MessageChange.Edited(messageId, update.path("edit_date").asInt(),
        content == null ? null : content.contentJson(), content == null ? null : content.text()), ready));
  }

  boolean holdsContent() {
    return heldContent != null;
  }

  /** A content update that no edit followed: it changes the message in place. */
  void flushContent() {
    if (heldContent != null) {
      HeldContent content = heldContent;
      heldContent = null;
      toChat(content.chatId(), new ChatSync.Live(new MessageChange.ContentUpdated(content.messageId(),
          content.contentJson(), content.text()), content.realTime()));
    }
  }

  private void onDeleteMessages(JsonNode update) {
    // from_cache: TDLib unloading its cache, not a deletion
    if (update.path("from_cache").asBoolean() || !update.path("is_permanent").asBoolean()) {
      return;
    }
    List<Long> ids = new ArrayList<>();
    update.path("message_ids").forEach(id -> ids.add(id.asLong()));
    toChat(update.path("chat_id").asLong(), new ChatSync.Live(new MessageChange.Deleted(ids), ready));
  }

  private void toChat(long chatId, ChatSync.Command command) {
    chats.tell(new Chats.ToChat(chatId, command));
  }

  // --- connection ---

  /**
   * {@code connectionStateUpdating} is routine: TDLib shows it whenever it fetches the updates it missed. What is heard
   * while not ready counts once the connection is ready again; only a long loss of the connection makes every chat
   * catch up.
   */
  private void onConnectionState(String state) {
    String name = switch (state) {
      case "connectionStateReady" -> "ready";
      case "connectionStateUpdating" -> "updating";
      case "connectionStateConnecting", "connectionStateConnectingToProxy" -> "connecting";
      default -> "waiting_for_network";
    };
    status.tell(new Status.ConnectionChanged(name));
    boolean wasReady = ready;
    ready = name.equals("ready");
    if (!ready) {
      if (!name.equals("updating") && offlineSince == null) {
        offlineSince = Instant.now();
      }
      return;
    }
    boolean longOutage = offlineSince != null
        && Duration.between(offlineSince, Instant.now()).compareTo(catchUpAfterOffline) >= 0;
    offlineSince = null;
    if (longOutage) {
      context.getLog().info("[{}] connection back after a long outage: every chat catches up", account);
      chats.tell(new Chats.ToAllChats(ChatSync.CatchUp.INSTANCE));
    } else if (!wasReady) {
      chats.tell(new Chats.ToAllChats(ChatSync.ConnectionReady.INSTANCE));
    }
  }

  private void heard() {
    Instant now = Instant.now();
    if (Duration.between(lastPing, now).compareTo(PING_INTERVAL) >= 0) {
      lastPing = now;
      status.tell(new Status.TelegramHeard(now));
    }
  }
}
