package dev.tg.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.JsonSerializable;
import dev.tg.archive.Archive;
import dev.tg.archive.MessageChange;
import dev.tg.config.SyncSettings;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.status.ChatProgress;
import dev.tg.status.Status;
import dev.tg.telegram.TdChat.ChatKind;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One chat's sync: an event-sourced actor that holds both cursors and the policy, runs the chat's jobs one request
 * at a time with tokens from the scheduler, and stores what TDLib's updates bring.
 *
 * <p>What survives a restart is the {@link ChatState} its events fold into, and each of its states has a command
 * handler of its own: not described yet, syncing, not syncing (off for its tier, left, inaccessible). A syncing
 * chat's work ({@link ChatWork}) is runtime: its phase and the forward {@link Frontier} are rebuilt on every
 * recovery, after which the chat catches up first. Invariant 1: a cursor event is persisted only after the
 * messages it covers are durably stored, and the forward cursor goes only as far as the frontier allows.
 */
public final class ChatSync
    extends EventSourcedBehaviorWithEnforcedReplies<ChatSync.Command, ChatSync.Event, ChatState> {

  /** What every chat actor of an account shares. */
  public record Setup(String account, SyncSettings settings, ScheduledClient telegram, Archive archive,
      ActorRef<Chats.Command> parent, ActorRef<Status.Command> status) {}

  public interface Command extends JsonSerializable {}

  /**
   * The chat as TDLib describes it; {@code memberCount} -1 keeps the known count; {@code lastMessageId} is the
   * newest message TDLib knows (0 when unknown).
   */
  public record Describe(String title, ChatKind kind, int memberCount, long upgradedToChatId, long lastMessageId)
      implements Command {}

  /** The account's chat list is loaded: the chat may work, catch-up first. */
  public enum Start implements Command {
    INSTANCE
  }

  /**
   * A real-time change; {@code realTime} is whether TDLib's connection was ready when it was heard, {@code heardNanos}
   * when ({@link System#nanoTime()}, for the latency metric).
   */
  public record Live(MessageChange change, boolean realTime, long heardNanos) implements Command {
    /** Heard now. */
    public Live(MessageChange change, boolean realTime) {
      this(change, realTime, System.nanoTime());
    }
  }

  /** TDLib's connection is ready again after a routine update, with no long outage. */
  public enum ConnectionReady implements Command {
    INSTANCE
  }

  /** {@code updateChatLastMessage}; 0 when TDLib does not know the last message. */
  public record LastMessageChanged(long lastMessageId) implements Command {}

  /** Messages may have been missed (a long outage): catch up. */
  public enum CatchUp implements Command {
    INSTANCE
  }

  /**
   * Whether the chat is the user's: it has a position in a chat list (or is the pre-upgrade part of one that has).
   * {@code member} false: it left every list.
   */
  public record Membership(boolean member) implements Command {}

  public record RequestSync(ActorRef<StatusReply<ChatProgress>> replyTo) implements Command {}

  /** The storage has room again: the chat's work, paused meanwhile, goes on. */
  public enum StorageResumed implements Command {
    INSTANCE
  }

  public record GetProgress(ActorRef<ChatProgress> replyTo) implements Command {}

  /** What the actor tells itself; it never leaves the actor, so it is never serialized. */
  interface Internal extends Command, NoSerializationVerificationNeeded {}

  record Answered(long jobId, ObjectNode answer) implements Internal {}

  record RequestFailed(long jobId, Throwable error) implements Internal {}

  record PageStored(long jobId, HistoryPage page, long archivedTotal) implements Internal {}

  record LiveStored(long incarnation, List<Long> addedIds, long archivedTotal) implements Internal {}

  record PageStoreFailed(long jobId, Throwable error) implements Internal {}

  record LiveStoreFailed(long incarnation, Throwable error) implements Internal {}

  /** TDLib answered the request that makes it know the chat; {@code failure} null when it knows it now. */
  record ChatIntroduced(long jobId, Throwable failure) implements Internal {}

  /** A timer of the job is over (0: the cool-down after a job that failed every retry). */
  record Wake(long jobId) implements Internal {}

  public interface Event extends JsonSerializable {}

  public record ChatDescribed(String title, ChatPolicy policy, long upgradedToChatId, Instant at) implements Event {}

  public record SyncRequested(ChatPolicy policy, Instant at) implements Event {}

  /** The newest page is stored: both cursors are set for the first time. */
  public record InitialLoadStored(long forwardCursor, long backwardCursor, long archived, Instant at)
      implements Event {}

  public record ForwardAdvanced(long forwardCursor, long archived, Instant at) implements Event {}

  public record HistoryBatchStored(long backwardCursor, long archived, Instant at) implements Event {}

  public record HistoryCompleted(long archived, Instant at) implements Event {}

  /**
   * A page showed the {@code messageChatUpgradeFrom} that begins a supergroup's history: persisted before the cursors
   * pass it, since no later page shows it again and the old group is in no chat list.
   */
  public record UpgradeFromFound(long basicGroupId) implements Event {}

  /** An estimate of the chat's size, for progress only. */
  public record TotalCountLearned(long total) implements Event {}

  public record ChatInaccessible(String reason, Instant at) implements Event {}

  /**
   * No longer written: earlier versions wrote it for TDLib's "Chat not found", which only means that the TDLib
   * instance does not know the chat yet. Kept to replay their journals; such a chat syncs again when TDLib announces
   * it ({@link ChatRejoined}).
   */
  public record ChatDeleted(Instant at) implements Event {}

  public record BackwardCursorReset(String reason, Instant at) implements Event {}

  /** The chat left every chat list: its sync stops, its cursors stay. */
  public record ChatLeft(Instant at) implements Event {}

  /** The chat is the user's again: its sync resumes from its cursors. */
  public record ChatRejoined(Instant at) implements Event {}

  public static String persistenceIdPrefix(String account) {
    return "chat|" + account + "|";
  }

  public static Behavior<Command> create(long chatId, Setup setup) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new ChatSync(context, timers, chatId, setup)));
  }

  /** How a chat restarts after a failure: from its last event, after a backoff. */
  static BackoffSupervisorStrategy restartBackoff(SyncSettings settings) {
    return SupervisorStrategy.restartWithBackoff(settings.restartBackoffMin(), settings.restartBackoffMax(), 0.2);
  }

  private final long chatId;
  private final Setup setup;
  private final ChatWork work;

  private ChatSync(ActorContext<Command> context, TimerScheduler<Command> timers, long chatId, Setup setup) {
    // a journal that fails (disk full, locked) costs a restart from the last event, never a message
    super(PersistenceId.ofUniqueId(persistenceIdPrefix(setup.account()) + chatId), restartBackoff(setup.settings()));
    this.chatId = chatId;
    this.setup = setup;
    this.work = new ChatWork(chatId, setup, context, timers, Effect());
  }

  @Override
  public ChatState emptyState() {
    return ChatState.unknown();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(setup.settings().snapshotEvery(), 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public EventHandler<ChatState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(ChatState::apply);
  }

  @Override
  public SignalHandler<ChatState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          // after a journal failure this same object recovers again
          work.recovered(state);
          setup.parent().tell(new Chats.ChatRecovered(chatId));
        })
        .onSignal(PreRestart.class, (state, restart) -> setup.status().tell(new Status.ChatRestarted(chatId)))
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, ChatState> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, ChatState> builder = newCommandHandlerWithReplyBuilder();
    builder.forState(state -> !state.described())
        .onCommand(RequestSync.class, (state, request) ->
            Effect().reply(request.replyTo(), StatusReply.error("unknown chat " + chatId)));
    builder.forState(ChatState::syncing)
        .onCommand(Start.class, this::onStart)
        .onCommand(Live.class, work::onLive)
        .onCommand(LastMessageChanged.class, (state, changed) ->
            work.onLastMessageChanged(state, changed.lastMessageId()))
        .onCommand(CatchUp.class, (state, catchUp) -> work.onGap(state))
        .onCommand(ConnectionReady.class, (state, ready) -> work.onConnectionReady(state))
        .onCommand(Answered.class, work::onAnswered)
        .onCommand(RequestFailed.class, work::onRequestFailed)
        .onCommand(PageStored.class, work::onPageStored)
        .onCommand(PageStoreFailed.class, work::onPageStoreFailed)
        .onCommand(ChatIntroduced.class, work::onChatIntroduced)
        .onCommand(StorageResumed.class, (state, resumed) -> {
          work.proceed(state);
          return Effect().none().thenNoReply();
        })
        .onCommand(Wake.class, work::onWake);
    builder.forState(state -> state.described() && !state.syncing())
        .onCommand(Start.class, this::onStart)
        .onCommand(RequestFailed.class, work::onFailureAfterStop);
    builder.forAnyState()
        .onCommand(Describe.class, this::onDescribe)
        .onCommand(Membership.class, this::onMembership)
        .onCommand(RequestSync.class, this::onRequestSync)
        .onCommand(GetProgress.class, (state, get) -> Effect().reply(get.replyTo(), work.progress(state)))
        .onCommand(LiveStored.class, work::onLiveStored)
        .onCommand(LiveStoreFailed.class, work::onLiveStoreFailed)
        // a change of a chat not synced, or the late answer of a job it gave up: nothing to do
        .onAnyCommand((state, command) -> Effect().none().thenNoReply());
    return builder.build();
  }

  // --- policy ---

  private ReplyEffect<Event, ChatState> onDescribe(ChatState state, Describe describe) {
    ChatPolicy policy = work.jobs().policy(state, describe);
    if (state.described() && policy.equals(state.policy()) && describe.title().equals(state.title())
        && describe.upgradedToChatId() == state.upgradedToChatId()) {
      work.lastMessageKnown(describe.lastMessageId());
      work.chatSeen(state);
      return Effect().none().thenNoReply();
    }
    return Effect()
        .persist(new ChatDescribed(describe.title(), policy, describe.upgradedToChatId(), Instant.now()))
        .thenRun(newState -> {
          work.lastMessageKnown(describe.lastMessageId());
          policyChanged(state, newState);
          work.chatSeen(newState);
        })
        .thenNoReply();
  }

  private ReplyEffect<Event, ChatState> onRequestSync(ChatState state, RequestSync request) {
    if (state.access() != ChatState.Access.ACTIVE) {
      return Effect().reply(request.replyTo(),
          StatusReply.error("chat " + chatId + " is " + state.access().name().toLowerCase()));
    }
    if (state.requested()) {
      return Effect().reply(request.replyTo(), StatusReply.success(work.progress(state)));
    }
    return Effect()
        .persist(new SyncRequested(work.jobs().requestedPolicy(state), Instant.now()))
        .thenRun(newState -> policyChanged(state, newState))
        .thenReply(request.replyTo(), newState -> StatusReply.success(work.progress(newState)));
  }

  private ReplyEffect<Event, ChatState> onMembership(ChatState state, Membership membership) {
    ChatState.Access access = state.access();
    if (!membership.member() && state.upgradedToChatId() != 0) {
      // the pre-upgrade part of a supergroup is in no list, and is the user's while the supergroup is
      return Effect().none().thenNoReply();
    }
    // leaving keeps an earlier, more telling reason (Telegram refused the chat); a position back is worth a try
    Event change = membership.member()
        ? access == ChatState.Access.ACTIVE ? null : new ChatRejoined(Instant.now())
        : access != ChatState.Access.ACTIVE || !state.described() ? null : new ChatLeft(Instant.now());
    if (change == null) {
      return Effect().none().thenNoReply();
    }
    return Effect().persist(change).thenRun(newState -> policyChanged(state, newState)).thenNoReply();
  }

  /** A chat that stops syncing drops its news from now on: when it syncs again it must catch up first. */
  private void policyChanged(ChatState before, ChatState after) {
    if (before.syncing() && !after.syncing()) {
      work.stopSyncing(after, "the chat is no longer synced");
    }
    work.changed(after);
    work.proceed(after);
  }

  private ReplyEffect<Event, ChatState> onStart(ChatState state, Start start) {
    // TDLib knows the pre-upgrade group only once asked for it again: the account asks
    if (state.described() && state.policy().kind() == ChatKind.BASIC_GROUP && state.upgradedToChatId() != 0) {
      setup.parent().tell(new Chats.PredecessorFound(-chatId, state.upgradedToChatId()));
    }
    if (state.upgradedFromBasicGroupId() != 0) {
      setup.parent().tell(new Chats.PredecessorFound(state.upgradedFromBasicGroupId(), chatId));
    }
    work.started();
    work.proceed(state);
    setup.parent().tell(new Chats.ChatReported(chatId));
    return Effect().none().thenNoReply();
  }
}
