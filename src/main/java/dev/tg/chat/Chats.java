package dev.tg.chat;

import dev.tg.JsonSerializable;
import dev.tg.scheduler.Scheduler;
import dev.tg.status.ChatProgress;
import dev.tg.telegram.TdChat.ChatKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Parent of an account's chat actors: spawns one per chat (those with a journal at once, so that their catch-up is
 * ready when the chat list is loaded), passes commands to them, and holds history back at start-up until every chat
 * has asked for its catch-up or said it needs none.
 */
public final class Chats extends AbstractBehavior<Chats.Command> {

  public interface Command extends JsonSerializable {}

  /**
   * A chat from TDLib's list or updates; {@code memberCount} is -1 when it was not looked up again,
   * {@code lastMessageId} 0 when unknown.
   */
  public record ChatSeen(
      long chatId, String title, ChatKind kind, int memberCount, long upgradedToChatId, long lastMessageId)
      implements Command {}

  public record ToChat(long chatId, ChatSync.Command command) implements Command {}

  public record ToAllChats(ChatSync.Command command) implements Command {}

  /**
   * The chat lists are loaded: chats may start their work, catch-up first; a chat of the journal that is not among
   * {@code members} (no position in any list) has left.
   */
  public record Start(Set<Long> members) implements Command {}

  /** A chat got its first position in a chat list, or lost its last one. */
  public record MembershipChanged(long chatId, boolean member) implements Command {}

  /** A supergroup's history begins with its upgrade from a basic group, whose history is this chat's too. */
  public record PredecessorFound(long basicGroupId, long successorChatId) implements Command {}

  /** A chat actor (re)started and recovered: if the account has started, so may it. */
  public record ChatRecovered(long chatId) implements Command {}

  /** A started chat asked for its first request, or has no work: it no longer holds history back. */
  public record ChatReported(long chatId) implements Command {}

  public record GetKnownChats(ActorRef<KnownChats> replyTo) implements Command {}

  public record KnownChats(Set<Long> chatIds) implements JsonSerializable {}

  /** {@code tg sync}: enable a chat explicitly at P4. */
  public record SyncChat(long chatId, ActorRef<StatusReply<ChatProgress>> replyTo) implements Command {}

  private record KnownChatsLoaded(List<Long> chatIds) implements Command {}

  private enum GateTimeout implements Command {
    INSTANCE
  }

  // ten thousand chats recover from the journal in about eight seconds
  private static final Duration GATE_TIMEOUT = Duration.ofSeconds(60);

  private final String account;
  private final Function<ActorRef<Command>, ChatSync.Setup> chatSetup;
  private final ActorRef<Scheduler.Command> scheduler;
  private final ActorRef<PredecessorFound> upgrades;
  private final TimerScheduler<Command> timers;
  private final Map<Long, ActorRef<ChatSync.Command>> chats = new HashMap<>();
  // what TDLib last said of each chat, told again to a chat that restarts (a failed write may have lost it)
  private final Map<Long, ChatSeen> lastSeen = new HashMap<>();
  private final Set<Long> awaitingFirstWord = new HashSet<>();
  private boolean started;

  private Chats(ActorContext<Command> context, TimerScheduler<Command> timers, String account,
      Function<ActorRef<Command>, ChatSync.Setup> chatSetup, ActorRef<Scheduler.Command> scheduler,
      ActorRef<PredecessorFound> upgrades) {
    super(context);
    this.timers = timers;
    this.account = account;
    this.chatSetup = chatSetup;
    this.scheduler = scheduler;
    this.upgrades = upgrades;
  }

  /**
   * {@code chatSetup} gives a chat actor what it needs, given this parent; {@code upgrades} hears of the basic groups
   * that supergroups were upgraded from.
   */
  public static Behavior<Command> create(String account, Function<ActorRef<Command>, ChatSync.Setup> chatSetup,
      ActorRef<Scheduler.Command> scheduler, ActorRef<PredecessorFound> upgrades) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> Behaviors.withStash(10_000, stash -> {
      loadKnownChats(context, account);
      return Behaviors.receive(Command.class)
          .onMessage(KnownChatsLoaded.class, loaded -> {
            Chats chats = new Chats(context, timers, account, chatSetup, scheduler, upgrades);
            loaded.chatIds().forEach(chats::chat);
            return stash.unstashAll(chats);
          })
          .onAnyMessage(command -> {
            stash.stash(command);
            return Behaviors.same();
          })
          .build();
    })));
  }

  private static void loadKnownChats(ActorContext<Command> context, String account) {
    String prefix = ChatSync.persistenceIdPrefix(account);
    JdbcReadJournal journal = PersistenceQuery.get(context.getSystem())
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    context.pipeToSelf(
        journal.currentPersistenceIds()
            .filter(id -> id.startsWith(prefix))
            .map(id -> Long.parseLong(id.substring(prefix.length())))
            .runWith(Sink.seq(), context.getSystem()),
        (ids, failure) -> {
          if (failure != null) {
            throw new IllegalStateException("cannot list the chats in the journal", failure);
          }
          return new KnownChatsLoaded(ids);
        });
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ChatSeen.class, this::onChatSeen)
        .onMessage(ToChat.class, this::onToChat)
        .onMessage(ToAllChats.class, this::onToAllChats)
        .onMessage(Start.class, this::onStart)
        .onMessage(MembershipChanged.class, changed -> {
          tellIfKnown(changed.chatId(), new ChatSync.Membership(changed.member()));
          return this;
        })
        .onMessage(PredecessorFound.class, found -> {
          upgrades.tell(found);
          return this;
        })
        .onMessage(ChatRecovered.class, this::onChatRecovered)
        .onMessage(ChatReported.class, reported -> heardFrom(reported.chatId()))
        .onMessage(GetKnownChats.class, this::onGetKnownChats)
        .onMessage(SyncChat.class, this::onSyncChat)
        .onMessageEquals(GateTimeout.INSTANCE, this::onGateTimeout)
        .build();
  }

  private ActorRef<ChatSync.Command> chat(long chatId) {
    return chats.computeIfAbsent(chatId, id ->
        getContext().spawn(supervised(id, chatSetup.apply(getContext().getSelf())), "chat-" + id));
  }

  /** A chat actor that a failure (an archive write that failed, say) restarts from its journal. */
  static Behavior<ChatSync.Command> supervised(long chatId, ChatSync.Setup setup) {
    return Behaviors.supervise(ChatSync.create(chatId, setup)).onFailure(ChatSync.restartBackoff(setup.settings()));
  }

  private Behavior<Command> onChatSeen(ChatSeen seen) {
    lastSeen.merge(seen.chatId(), seen, (before, now) -> now.memberCount() >= 0 ? now
        : new ChatSeen(now.chatId(), now.title(), now.kind(), before.memberCount(), now.upgradedToChatId(),
            now.lastMessageId()));
    chat(seen.chatId()).tell(describe(seen));
    return this;
  }

  private static ChatSync.Describe describe(ChatSeen seen) {
    return new ChatSync.Describe(seen.title(), seen.kind(), seen.memberCount(), seen.upgradedToChatId(),
        seen.lastMessageId());
  }

  private Behavior<Command> onToChat(ToChat message) {
    tellIfKnown(message.chatId(), message.command());
    return this;
  }

  private void tellIfKnown(long chatId, ChatSync.Command command) {
    ActorRef<ChatSync.Command> chat = chats.get(chatId);
    if (chat != null) {
      chat.tell(command);
    }
  }

  private Behavior<Command> onToAllChats(ToAllChats message) {
    chats.values().forEach(chat -> chat.tell(message.command()));
    return this;
  }

  private Behavior<Command> onStart(Start start) {
    if (started) {
      return this;
    }
    started = true;
    chats.forEach((chatId, chat) -> {
      if (!start.members().contains(chatId)) {
        chat.tell(new ChatSync.Membership(false));
      }
    });
    awaitingFirstWord.addAll(chats.keySet());
    if (!awaitingFirstWord.isEmpty()) {
      scheduler.tell(Scheduler.HoldHistory.INSTANCE);
      timers.startSingleTimer(GateTimeout.INSTANCE, GATE_TIMEOUT);
    }
    chats.values().forEach(chat -> chat.tell(ChatSync.Start.INSTANCE));
    return this;
  }

  private Behavior<Command> onChatRecovered(ChatRecovered recovered) {
    ActorRef<ChatSync.Command> chat = chats.get(recovered.chatId());
    if (started && chat != null) {
      ChatSeen seen = lastSeen.get(recovered.chatId());
      if (seen != null) {
        chat.tell(describe(seen));
      }
      chat.tell(ChatSync.Start.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> heardFrom(long chatId) {
    if (awaitingFirstWord.remove(chatId) && awaitingFirstWord.isEmpty()) {
      releaseHistory();
    }
    return this;
  }

  private Behavior<Command> onGateTimeout() {
    if (!awaitingFirstWord.isEmpty()) {
      getContext().getLog().warn("[{}] [{}] chats did not report in time; history may start before their catch-up",
          account, awaitingFirstWord.size());
      releaseHistory();
    }
    return this;
  }

  private void releaseHistory() {
    awaitingFirstWord.clear();
    timers.cancel(GateTimeout.INSTANCE);
    scheduler.tell(Scheduler.ReleaseHistory.INSTANCE);
  }

  private Behavior<Command> onGetKnownChats(GetKnownChats request) {
    request.replyTo().tell(new KnownChats(Set.copyOf(chats.keySet())));
    return this;
  }

  private Behavior<Command> onSyncChat(SyncChat request) {
    ActorRef<ChatSync.Command> chat = chats.get(request.chatId());
    if (chat == null) {
      request.replyTo().tell(StatusReply.error("unknown chat " + request.chatId()));
    } else {
      chat.tell(new ChatSync.RequestSync(request.replyTo()));
    }
    return this;
  }
}
