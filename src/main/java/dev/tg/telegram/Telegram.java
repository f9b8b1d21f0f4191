package dev.tg.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.JsonSerializable;
import dev.tg.archive.Archive;
import dev.tg.archive.MessageChange;
import dev.tg.chat.ChatSync;
import dev.tg.contacts.Contacts;
import dev.tg.scheduler.Priority;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.scheduler.Scheduler;
import dev.tg.status.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The only owner of the account's TDLib client: drives its authorization, runs the start-up sequence (contacts,
 * chat list, then the scheduler's start) and routes every update to the actor it concerns.
 */
public final class Telegram extends AbstractBehavior<Telegram.Command> {

  public interface Command extends JsonSerializable {}

  /** An update of this account's client, from the receiver thread. */
  public record Update(ObjectNode update) implements Command {}

  private record ContactsSynced() implements Command {}

  private record ChatListPage(boolean complete, Throwable failure) implements Command {}

  private record KnownChats(Set<Long> chatIds) implements Command {}

  private record ChatResolved(TdChat chat, Membership membership) implements Command {}

  private record Membership(int memberCount, long upgradedToChatId) {}

  private static final Duration PING_INTERVAL = Duration.ofSeconds(1);
  private static final Duration RETRY_CHAT_LIST = Duration.ofSeconds(5);

  /** Who the updates go to. */
  public record Routes(
      ActorRef<Scheduler.Command> scheduler, ActorRef<Contacts.Command> contacts, ActorRef<Status.Command> status) {}

  private final String account;
  private final TdClient client;
  private final ScheduledClient telegram;
  private final ObjectNode tdlibParameters;
  private final Routes routes;
  private final Archive archive;
  private final Map<Long, TdChat> chats = new LinkedHashMap<>();
  private final Map<Long, Integer> memberCounts = new HashMap<>();
  private final Map<Long, Long> upgradedTo = new HashMap<>();
  private Set<Long> knownChats;
  private boolean startupBegun;
  private boolean wasReady;
  private boolean offline;
  private Instant lastPing = Instant.EPOCH;

  private Telegram(ActorContext<Command> context, String account, TdClient client, ScheduledClient telegram,
      ObjectNode tdlibParameters, Routes routes, Archive archive) {
    super(context);
    this.account = account;
    this.client = client;
    this.telegram = telegram;
    this.tdlibParameters = tdlibParameters;
    this.routes = routes;
    this.archive = archive;
    // a new TDLib instance says nothing until it gets its first request
    client.send(TdClient.request("getOption").put("name", "version"));
  }

  public static Behavior<Command> create(String account, TdClient client, ScheduledClient telegram,
      ObjectNode tdlibParameters, Routes routes, Archive archive) {
    return Behaviors.setup(context ->
        new Telegram(context, account, client, telegram, tdlibParameters, routes, archive));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Update.class, update -> onUpdate(update.update()))
        .onMessage(ContactsSynced.class, synced -> loadChatList())
        .onMessage(ChatListPage.class, this::onChatListPage)
        .onMessage(KnownChats.class, this::onKnownChats)
        .onMessage(ChatResolved.class, this::onChatResolved)
        .build();
  }

  private Behavior<Command> onUpdate(ObjectNode update) {
    heard();
    switch (update.path("@type").asText()) {
      case "updateAuthorizationState" -> {
        return onAuthorizationState(update.path("authorization_state").path("@type").asText());
      }
      case "updateConnectionState" -> onConnectionState(update.path("state").path("@type").asText());
      case "updateNewChat" -> onNewChat(TdChat.of(update.path("chat")));
      case "updateChatTitle" -> onChatTitle(update.path("chat_id").asLong(), update.path("title").asText());
      case "updateBasicGroup" -> onBasicGroup(update.path("basic_group"));
      case "updateSupergroup" -> onMemberCount(
          TdChat.supergroupChatId(update.path("supergroup").path("id").asLong()),
          update.path("supergroup").path("member_count").asInt());
      case "updateSupergroupFullInfo" -> onMemberCount(
          TdChat.supergroupChatId(update.path("supergroup_id").asLong()),
          update.path("supergroup_full_info").path("member_count").asInt());
      case "updateNewMessage" -> {
        TdMessage message = TdMessage.of(update.path("message"));
        toChat(message.chatId(), new ChatSync.Live(new MessageChange.Added(message)));
      }
      case "updateMessageContent" -> {
        JsonNode content = update.path("new_content");
        toChat(update.path("chat_id").asLong(), new ChatSync.Live(new MessageChange.ContentChanged(
            update.path("message_id").asLong(), content.toString(), TdMessage.textOf(content))));
      }
      case "updateMessageEdited" -> toChat(update.path("chat_id").asLong(), new ChatSync.Live(
          new MessageChange.Edited(update.path("message_id").asLong(), update.path("edit_date").asInt())));
      case "updateDeleteMessages" -> onDeleteMessages(update);
      case "updateChatLastMessage" -> toChat(update.path("chat_id").asLong(),
          new ChatSync.LastMessageChanged(update.path("last_message").path("id").asLong()));
      case "updateUser" -> routes.contacts().tell(new Contacts.UserUpdated(TdUser.of(update.path("user"))));
      default -> {
        // other updates carry nothing the sync keeps
      }
    }
    return this;
  }

  private Behavior<Command> onAuthorizationState(String state) {
    switch (state) {
      case "authorizationStateWaitTdlibParameters" -> client.send(tdlibParameters.deepCopy());
      case "authorizationStateReady" -> beginStartup();
      case "authorizationStateWaitPhoneNumber", "authorizationStateWaitCode", "authorizationStateWaitPassword",
          "authorizationStateWaitOtherDeviceConfirmation", "authorizationStateWaitRegistration",
          "authorizationStateWaitEmailAddress", "authorizationStateWaitEmailCode" -> {
        String problem = "account " + account + " is not logged in: run `tg login --account " + account + "`";
        getContext().getLog().error(problem);
        routes.status().tell(new Status.ProblemReported(problem));
      }
      case "authorizationStateClosed" -> {
        if (CoordinatedShutdown.get(getContext().getSystem()).getShutdownReason().isPresent()) {
          return Behaviors.stopped();
        }
        // the client is gone for good: the account restarts with a new one
        throw new IllegalStateException("TDLib client of account " + account + " closed");
      }
      default -> {
        // Closing, LoggingOut: Closed follows
      }
    }
    return this;
  }

  private void onConnectionState(String state) {
    String name = switch (state) {
      case "connectionStateReady" -> "ready";
      case "connectionStateUpdating" -> "updating";
      case "connectionStateConnecting", "connectionStateConnectingToProxy" -> "connecting";
      default -> "waiting_for_network";
    };
    routes.status().tell(new Status.ConnectionChanged(name));
    if (name.equals("ready")) {
      if (offline && wasReady) {
        getContext().getLog().info("[{}] connection back: every chat catches up", account);
        routes.scheduler().tell(new Scheduler.ToAllChats(ChatSync.CatchUp.INSTANCE));
      }
      wasReady = true;
      offline = false;
    } else {
      offline = true;
    }
  }

  private void beginStartup() {
    if (startupBegun) {
      return;
    }
    startupBegun = true;
    getContext().getLog().info("[{}] logged in: syncing contacts, then the chat list", account);
    getContext().ask(Done.class, routes.contacts(), Duration.ofHours(1), Contacts.FullSync::new,
        (done, failure) -> new ContactsSynced());
  }

  private Behavior<Command> loadChatList() {
    getContext().ask(Scheduler.KnownChats.class, routes.scheduler(), Duration.ofMinutes(1),
        Scheduler.GetKnownChats::new,
        (known, failure) -> new KnownChats(known == null ? Set.of() : known.chatIds()));
    return this;
  }

  private Behavior<Command> onKnownChats(KnownChats known) {
    knownChats = known.chatIds();
    requestChatListPage();
    return this;
  }

  private void requestChatListPage() {
    ObjectNode loadChats = TdClient.request("loadChats").put("limit", 100);
    loadChats.putObject("chat_list").put("@type", "chatListMain");
    getContext().pipeToSelf(telegram.send(0, Priority.P0, loadChats), (ok, failure) ->
        failure == null ? new ChatListPage(false, null)
            : TdException.unwrap(failure) instanceof TdException.NotFound ? new ChatListPage(true, null)
            : new ChatListPage(false, TdException.unwrap(failure)));
  }

  private Behavior<Command> onChatListPage(ChatListPage page) {
    if (page.failure() != null) {
      getContext().getLog().warn("[{}] loading the chat list failed, retrying: {}", account,
          page.failure().getMessage());
      getContext().scheduleOnce(RETRY_CHAT_LIST, getContext().getSelf(), new KnownChats(knownChats));
      return this;
    }
    if (!page.complete()) {
      requestChatListPage();
      return this;
    }
    getContext().getLog().info("[{}] chat list loaded: [{}] chats", account, chats.size());
    routes.scheduler().tell(Scheduler.Start.INSTANCE);
    return this;
  }

  private void onNewChat(TdChat chat) {
    chats.put(chat.id(), chat);
    archive.run(store -> store.saveChat(account, chat, memberCounts.getOrDefault(chat.id(), 0),
        upgradedTo.getOrDefault(chat.id(), 0L)));
    if (knownChats != null && knownChats.contains(chat.id())) {
      // a chat from the journal keeps its policy; updates refresh its member count
      routes.scheduler().tell(seen(chat, memberCounts.getOrDefault(chat.id(), -1)));
      return;
    }
    getContext().pipeToSelf(membership(chat), (membership, failure) ->
        new ChatResolved(chat, failure == null ? membership : new Membership(0, 0)));
  }

  private Behavior<Command> onChatResolved(ChatResolved resolved) {
    TdChat chat = resolved.chat();
    memberCounts.put(chat.id(), resolved.membership().memberCount());
    if (resolved.membership().upgradedToChatId() != 0) {
      upgradedTo.put(chat.id(), resolved.membership().upgradedToChatId());
    }
    routes.scheduler().tell(seen(chat, resolved.membership().memberCount()));
    archive.run(store -> store.saveChat(account, chat, resolved.membership().memberCount(),
        upgradedTo.getOrDefault(chat.id(), 0L)));
    return this;
  }

  /** The member count from TDLib's cache, or from the full info when the basic count is 0 (unknown). */
  private CompletionStage<Membership> membership(TdChat chat) {
    Integer known = memberCounts.get(chat.id());
    if (known != null && known > 0) {
      return CompletableFuture.completedFuture(new Membership(known, upgradedTo.getOrDefault(chat.id(), 0L)));
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
    TdChat chat = chats.get(chatId);
    if (chat != null) {
      TdChat renamed = new TdChat(chat.id(), chat.kind(), title, chat.groupId(), chat.lastMessageId());
      chats.put(chatId, renamed);
      routes.scheduler().tell(seen(renamed, memberCounts.getOrDefault(chatId, -1)));
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
    TdChat chat = chats.get(chatId);
    if (chat != null && (before == null || before != count)) {
      routes.scheduler().tell(seen(chat, count));
    }
  }

  private void onDeleteMessages(JsonNode update) {
    // from_cache: TDLib unloading its cache, not a deletion
    if (update.path("from_cache").asBoolean() || !update.path("is_permanent").asBoolean()) {
      return;
    }
    List<Long> ids = new ArrayList<>();
    update.path("message_ids").forEach(id -> ids.add(id.asLong()));
    toChat(update.path("chat_id").asLong(), new ChatSync.Live(new MessageChange.Deleted(ids)));
  }

  private Scheduler.ChatSeen seen(TdChat chat, int memberCount) {
    return new Scheduler.ChatSeen(chat.id(), chat.title(), chat.kind(), memberCount,
        upgradedTo.getOrDefault(chat.id(), 0L), chat.lastMessageId());
  }

  private void toChat(long chatId, ChatSync.Command command) {
    routes.scheduler().tell(new Scheduler.ToChat(chatId, command));
  }

  private void heard() {
    Instant now = Instant.now();
    if (Duration.between(lastPing, now).compareTo(PING_INTERVAL) >= 0) {
      lastPing = now;
      routes.status().tell(new Status.TelegramHeard(now));
    }
  }
}
