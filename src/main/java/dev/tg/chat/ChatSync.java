package dev.tg.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.JsonSerializable;
import dev.tg.archive.Archive;
import dev.tg.archive.MessageChange;
import dev.tg.chat.ChatRuntime.Job;
import dev.tg.chat.ChatRuntime.JobKind;
import dev.tg.chat.ChatRuntime.Phase;
import dev.tg.config.SyncSettings;
import dev.tg.scheduler.Priority;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.status.ChatProgress;
import dev.tg.status.Status;
import dev.tg.telegram.TdChat.ChatKind;
import dev.tg.telegram.TdException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
 * chat's work in progress is a {@link Phase}, runtime like the forward {@link Frontier}: both are rebuilt on every
 * recovery ({@link ChatRuntime}), after which the chat catches up first. Invariant 1: a cursor event is persisted
 * only after the messages it covers are durably stored, and the forward cursor goes only as far as the frontier
 * allows; {@link ChatJobs} decides what to ask TDLib next and what a page covers.
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

  /** A real-time change; {@code realTime} is whether TDLib's connection was ready when it was heard. */
  public record Live(MessageChange change, boolean realTime) implements Command {}

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

  public record RequestSync(ActorRef<StatusReply<ChatProgress>> replyTo) implements Command {}

  public record GetProgress(ActorRef<ChatProgress> replyTo) implements Command {}

  record Answered(long jobId, ObjectNode answer) implements Command {}

  record RequestFailed(long jobId, Throwable error) implements Command {}

  record PageStored(long jobId, HistoryPage page, long archivedTotal) implements Command {}

  record LiveStored(long incarnation, List<Long> addedIds, long archivedTotal) implements Command {}

  record StoreFailed(Throwable error) implements Command {}

  /** A timer of the job is over (0: the cool-down after a job that failed every retry). */
  record Wake(long jobId) implements Command {}

  public interface Event extends JsonSerializable {}

  public record ChatDescribed(String title, ChatPolicy policy, long upgradedToChatId, Instant at) implements Event {}

  public record SyncRequested(ChatPolicy policy, Instant at) implements Event {}

  /** The newest page is stored: both cursors are set for the first time. */
  public record InitialLoadStored(long forwardCursor, long backwardCursor, long archived, Instant at)
      implements Event {}

  public record ForwardAdvanced(long forwardCursor, long archived, Instant at) implements Event {}

  public record HistoryBatchStored(long backwardCursor, long archived, Instant at) implements Event {}

  public record HistoryCompleted(long archived, Instant at) implements Event {}

  /** An estimate of the chat's size, for progress only. */
  public record TotalCountLearned(long total) implements Event {}

  public record ChatInaccessible(String reason, Instant at) implements Event {}

  public record ChatDeleted(Instant at) implements Event {}

  public record BackwardCursorReset(String reason, Instant at) implements Event {}

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

  // unique over every incarnation of every chat: an answer or a write of an earlier one is never mistaken
  private static final AtomicLong INCARNATIONS = new AtomicLong();

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final long chatId;
  private final Setup setup;
  private final ChatJobs jobs;
  private ChatRuntime runtime = ChatRuntime.recovered(0, 0, false, false);
  private long archivedNow;

  private ChatSync(ActorContext<Command> context, TimerScheduler<Command> timers, long chatId, Setup setup) {
    // a journal that fails (disk full, locked) costs a restart from the last event, never a message
    super(PersistenceId.ofUniqueId(persistenceIdPrefix(setup.account()) + chatId), restartBackoff(setup.settings()));
    this.context = context;
    this.timers = timers;
    this.chatId = chatId;
    this.setup = setup;
    this.jobs = new ChatJobs(chatId, setup.settings());
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
          // after a journal failure this same object recovers again: what ran before is abandoned
          endJob(state, "failed", "restarted after a journal failure");
          timers.cancelAll();
          runtime = ChatRuntime.recovered(INCARNATIONS.incrementAndGet(), state.forwardCursor(),
              jobs.resweepDueAfterRestart(state), !state.historyComplete() && state.knownTotal() == 0);
          archivedNow = state.archived();
          changed(state); // the read model may have missed the last change before a kill
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
        .onCommand(Live.class, this::onLive)
        .onCommand(LastMessageChanged.class, (state, changed) ->
            runtime.frontier().isGap(changed.lastMessageId()) ? onGap(state) : Effect().none().thenNoReply())
        .onCommand(CatchUp.class, (state, catchUp) -> onGap(state))
        .onCommand(ConnectionReady.class, (state, ready) -> {
          runtime = runtime.with(runtime.frontier().ready());
          return advanceForward(state);
        })
        .onCommand(Answered.class, this::onAnswered)
        .onCommand(RequestFailed.class, this::onRequestFailed)
        .onCommand(PageStored.class, this::onPageStored)
        .onCommand(Wake.class, this::onWake);
    builder.forState(state -> state.described() && !state.syncing())
        .onCommand(Start.class, (state, start) -> {
          runtime = runtime.asStarted();
          setup.parent().tell(new Chats.ChatReported(chatId));
          return Effect().none().thenNoReply();
        });
    builder.forAnyState()
        .onCommand(Describe.class, this::onDescribe)
        .onCommand(RequestSync.class, this::onRequestSync)
        .onCommand(GetProgress.class, (state, get) -> Effect().reply(get.replyTo(), progress(state)))
        .onCommand(LiveStored.class, this::onLiveStored)
        .onCommand(StoreFailed.class, (state, failed) -> {
          throw new IllegalStateException("[" + chatId + "] archive write failed", failed.error());
        })
        // a change of a chat not synced, or the late answer of a job it gave up: nothing to do
        .onAnyCommand((state, command) -> Effect().none().thenNoReply());
    return builder.build();
  }

  // --- policy ---

  private ReplyEffect<Event, ChatState> onDescribe(ChatState state, Describe describe) {
    Frontier frontier = runtime.started() ? runtime.frontier()
        : runtime.frontier().upToDate(describe.lastMessageId());
    ChatPolicy policy = jobs.policy(state, describe);
    if (state.described() && policy.equals(state.policy()) && describe.title().equals(state.title())
        && describe.upgradedToChatId() == state.upgradedToChatId()) {
      runtime = runtime.with(frontier);
      return Effect().none().thenNoReply();
    }
    return Effect()
        .persist(new ChatDescribed(describe.title(), policy, describe.upgradedToChatId(), Instant.now()))
        .thenRun(newState -> {
          runtime = runtime.with(frontier);
          policyChanged(state, newState);
        })
        .thenNoReply();
  }

  private ReplyEffect<Event, ChatState> onRequestSync(ChatState state, RequestSync request) {
    if (state.access() != ChatState.Access.ACTIVE) {
      return Effect().reply(request.replyTo(),
          StatusReply.error("chat " + chatId + " is " + state.access().name().toLowerCase()));
    }
    if (state.requested()) {
      return Effect().reply(request.replyTo(), StatusReply.success(progress(state)));
    }
    return Effect()
        .persist(new SyncRequested(jobs.requestedPolicy(state), Instant.now()))
        .thenRun(newState -> policyChanged(state, newState))
        .thenReply(request.replyTo(), newState -> StatusReply.success(progress(newState)));
  }

  /** A chat that stops syncing drops its news from now on: when it syncs again it must catch up first. */
  private void policyChanged(ChatState before, ChatState after) {
    if (before.syncing() && !after.syncing()) {
      stopSyncing(after);
    }
    changed(after);
    proceed(after);
  }

  private void stopSyncing(ChatState state) {
    endJob(state, "failed", "the chat is no longer synced");
    timers.cancelAll();
    runtime = runtime.with(Phase.IDLE).with(runtime.frontier().gap());
  }

  private ReplyEffect<Event, ChatState> onStart(ChatState state, Start start) {
    runtime = runtime.asStarted();
    proceed(state);
    setup.parent().tell(new Chats.ChatReported(chatId));
    return Effect().none().thenNoReply();
  }

  // --- jobs ---

  /** When nothing runs: open the chat if it must be, then start the next job, if there is one. */
  private void proceed(ChatState state) {
    if (!runtime.started() || !state.syncing()) {
      publish(state);
      return;
    }
    if (!runtime.opened() && jobs.needsOpening(state)) {
      runtime = runtime.asOpened();
      setup.telegram().send(chatId, Priority.P0, ChatRequests.open(chatId));
    }
    JobKind next = runtime.phase() instanceof Phase.Idle ? jobs.next(state, runtime) : null;
    if (next == null) {
      publish(state);
      return;
    }
    Job job = jobs.start(next, state, setup.archive().write(store -> store.jobStarted(setup.account(), chatId,
        next.tableName(), jobs.priority(next, state).ordinal(), state.backwardCursor())));
    if (next == JobKind.INITIAL_LOAD || next == JobKind.FORWARD_CATCHUP) {
      runtime = runtime.with(runtime.frontier().catchUpStarted());
    }
    send(job, state);
  }

  private void send(Job job, ChatState state) {
    runtime = runtime.with(new Phase.Requesting(job));
    context.pipeToSelf(setup.telegram().send(chatId, job.priority(), jobs.request(job, state)), (answer, failure) ->
        failure == null ? new Answered(job.id(), answer) : new RequestFailed(job.id(), TdException.unwrap(failure)));
    publish(state);
  }

  private ReplyEffect<Event, ChatState> onAnswered(ChatState state, Answered answered) {
    Job job = currentJob(Phase.Requesting.class, answered.jobId());
    if (job == null) {
      return Effect().none().thenNoReply();
    }
    if (job.kind() == JobKind.ESTIMATE) {
      long total = answered.answer().path("total_count").asLong();
      runtime = runtime.estimated();
      if (total <= 0) {
        return finish(job, state);
      }
      return Effect().persist(new TotalCountLearned(total)).thenRun(newState -> endAndProceed(job, newState))
          .thenNoReply();
    }
    HistoryPage page = HistoryPage.of(answered.answer());
    if (jobs.opensForward(job)) {
      runtime = runtime.with(runtime.frontier().catchUpTop(page.newest()));
    }
    if (page.isEnd() && (job.kind() == JobKind.INITIAL_LOAD || job.kind() == JobKind.BACKWARD_HISTORY)) {
      Frontier finished = job.kind() == JobKind.INITIAL_LOAD ? runtime.frontier().catchUpFinished()
          : runtime.frontier();
      List<Event> events = jobs.historyEnds(state, finished, archivedNow);
      return Effect().persist(events).thenRun(newState -> {
        runtime = runtime.with(finished.advancedTo(newState.forwardCursor()));
        endAndProceed(job, newState);
      }).thenNoReply();
    }
    if (page.isEnd() && job.kind() == JobKind.RESWEEP) {
      runtime = runtime.resweep(false);
      return finish(job, state);
    }
    runtime = runtime.with(new Phase.Storing(job));
    ChatJobs.Write write = jobs.write(job, page, state);
    context.pipeToSelf(setup.archive().write(store -> write.run(store, setup.account())), (stored, failure) ->
        failure == null ? new PageStored(job.id(), page, stored) : new StoreFailed(failure));
    return Effect().none().thenNoReply();
  }

  private ReplyEffect<Event, ChatState> onPageStored(ChatState state, PageStored stored) {
    Job job = currentJob(Phase.Storing.class, stored.jobId());
    if (job == null) {
      return Effect().none().thenNoReply();
    }
    archivedNow = Math.max(archivedNow, stored.archivedTotal());
    HistoryPage page = stored.page();
    Job next = jobs.afterPage(job, page);
    Instant now = Instant.now();
    switch (job.kind()) {
      case INITIAL_LOAD -> {
        Frontier finished = runtime.frontier().catchUpFinished();
        long forward = finished.advanceTarget();
        return Effect().persist(new InitialLoadStored(forward, page.oldest(), archivedNow, now)).thenRun(newState -> {
          runtime = runtime.with(finished.advancedTo(forward));
          endAndProceed(next, newState);
        }).thenNoReply();
      }
      case FORWARD_CATCHUP -> {
        if (!jobs.reachedBoundary(job, page)) {
          send(next, state);
          return Effect().none().thenNoReply();
        }
        runtime = runtime.with(runtime.frontier().catchUpFinished());
        return advanceForwardThen(state, newState -> endAndProceed(next, newState));
      }
      case BACKWARD_HISTORY -> {
        return Effect().persist(new HistoryBatchStored(page.oldest(), archivedNow, now)).thenRun(newState -> {
          changed(newState);
          runtime = runtime.with(new Phase.Waiting(next));
          timers.startSingleTimer(new Wake(next.id()), setup.settings().historyBatchInterval());
        }).thenNoReply();
      }
      default -> {
        if (jobs.sweepsOn(next, page, state)) {
          send(next, state);
          return Effect().none().thenNoReply();
        }
        runtime = runtime.resweep(false);
        return finish(next, state);
      }
    }
  }

  private ReplyEffect<Event, ChatState> onWake(ChatState state, Wake wake) {
    if (runtime.phase() instanceof Phase.CoolingDown && wake.jobId() == 0) {
      runtime = runtime.with(Phase.IDLE);
      proceed(state);
      return Effect().none().thenNoReply();
    }
    Job job = currentJob(Phase.Waiting.class, wake.jobId());
    if (job == null) {
      return Effect().none().thenNoReply();
    }
    // a retry, or the next batch of history while it is still the chat's next job at the same priority
    if (job.failures() > 0 || jobs.continues(job, state, runtime)) {
      send(job, state);
      return Effect().none().thenNoReply();
    }
    return finish(job, state);
  }

  private ReplyEffect<Event, ChatState> onRequestFailed(ChatState state, RequestFailed failed) {
    Job job = currentJob(Phase.Requesting.class, failed.jobId());
    if (job == null) {
      return Effect().none().thenNoReply();
    }
    Throwable error = failed.error();
    runtime = runtime.failed(error.getMessage());
    if (error instanceof TdException.FloodWait) {
      send(job, state); // the scheduler grants nothing until the flood wait is over
      return Effect().none().thenNoReply();
    }
    if (job.kind() == JobKind.ESTIMATE) {
      runtime = runtime.estimated(); // only an estimate: history never waits for it
      return finish(job, state);
    }
    Event ending = jobs.endingFor(error, job);
    if (ending != null) {
      context.getLog().warn("[{}] [{}] stops: {}", chatId, job.kind(), error.getMessage());
      return Effect().persist(ending).thenRun(newState -> {
        endJob(newState, "failed", error.getMessage());
        if (!newState.syncing()) {
          stopSyncing(newState);
        }
        changed(newState);
        proceed(newState);
      }).thenNoReply();
    }
    Job retry = job.failedOnce();
    context.getLog().info("[{}] [{}] failed ({} in a row): {}", chatId, job.kind(), retry.failures(),
        error.getMessage());
    if (retry.failures() >= setup.settings().rateLimits().maxRetries()) {
      endJob(state, "failed", error.getMessage());
      runtime = runtime.with(new Phase.CoolingDown());
      timers.startSingleTimer(new Wake(0), setup.settings().rateLimits().retryBackoffMax());
    } else {
      runtime = runtime.with(new Phase.Waiting(retry));
      timers.startSingleTimer(new Wake(retry.id()), jobs.backoff(retry.failures()));
    }
    publish(state);
    return Effect().none().thenNoReply();
  }

  private ReplyEffect<Event, ChatState> finish(Job job, ChatState state) {
    endAndProceed(job, state);
    return Effect().none().thenNoReply();
  }

  private void endAndProceed(Job job, ChatState state) {
    endJob(state, job, "completed", null);
    runtime = runtime.with(Phase.IDLE);
    changed(state);
    proceed(state);
  }

  private void endJob(ChatState state, String outcome, String error) {
    Job job = runtime.phase().job();
    if (job != null) {
      endJob(state, job, outcome, error);
    }
  }

  private void endJob(ChatState state, Job job, String outcome, String error) {
    long cursorEnd = job.kind() == JobKind.FORWARD_CATCHUP ? state.forwardCursor() : state.backwardCursor();
    job.row().thenAccept(rowId -> setup.archive().run(store ->
        store.jobEnded(rowId, outcome, cursorEnd, job.fetched(), error)));
  }

  private Job currentJob(Class<? extends Phase> phase, long jobId) {
    Job job = runtime.phase().job();
    return phase.isInstance(runtime.phase()) && job.id() == jobId ? job : null;
  }

  // --- real time ---

  private ReplyEffect<Event, ChatState> onLive(ChatState state, Live live) {
    MessageChange change = ChatJobs.serverOnly(live.change());
    if (change == null) {
      return Effect().none().thenNoReply();
    }
    Frontier frontier = change instanceof MessageChange.Added added
        ? runtime.frontier().heard(added.message().id(), live.realTime())
        : runtime.frontier();
    runtime = runtime.with(frontier).with(runtime.live().add(change));
    writeLive();
    return Effect().none().thenNoReply();
  }

  /** One live batch in flight per chat, so that changes reach the archive in the order they arrived. */
  private void writeLive() {
    if (!runtime.live().ready()) {
      return;
    }
    List<MessageChange> batch = runtime.live().queued();
    long incarnation = runtime.incarnation();
    runtime = runtime.with(runtime.live().sent());
    context.pipeToSelf(
        setup.archive().writeNow(store -> store.applyChanges(setup.account(), chatId, batch)),
        (stored, failure) -> failure == null
            ? new LiveStored(incarnation, ChatJobs.addedIds(batch), stored.archivedTotal())
            : new StoreFailed(failure));
  }

  private ReplyEffect<Event, ChatState> onLiveStored(ChatState state, LiveStored stored) {
    if (stored.incarnation() != runtime.incarnation()) {
      return Effect().none().thenNoReply();
    }
    archivedNow = Math.max(archivedNow, stored.archivedTotal());
    runtime = runtime.with(runtime.frontier().stored(stored.addedIds())).with(runtime.live().written());
    writeLive();
    return advanceForward(state);
  }

  private ReplyEffect<Event, ChatState> onGap(ChatState state) {
    runtime = runtime.with(runtime.frontier().gap()).resweep(true);
    proceed(state);
    return Effect().none().thenNoReply();
  }

  private ReplyEffect<Event, ChatState> advanceForward(ChatState state) {
    return advanceForwardThen(state, this::publish);
  }

  /** Moves the forward cursor as far as the frontier allows (persisted first), then goes on. */
  private ReplyEffect<Event, ChatState> advanceForwardThen(ChatState state,
      java.util.function.Consumer<ChatState> then) {
    long target = runtime.frontier().advanceTarget();
    if (!state.initialized() || target <= state.forwardCursor()) {
      then.accept(state);
      return Effect().none().thenNoReply();
    }
    return Effect().persist(new ForwardAdvanced(target, archivedNow, Instant.now())).thenRun(newState -> {
      runtime = runtime.with(runtime.frontier().advancedTo(target));
      changed(newState);
      then.accept(newState);
    }).thenNoReply();
  }

  // --- what others see ---

  private void changed(ChatState state) {
    publish(state);
    if (state.described()) {
      setup.archive().saveSyncStateLater(setup.account(), ChatJobs.syncStateRow(chatId, state));
    }
  }

  private void publish(ChatState state) {
    if (state.described()) {
      setup.status().tell(new Status.ChatUpdated(progress(state)));
    }
  }

  private ChatProgress progress(ChatState state) {
    return ChatJobs.progress(chatId, state, runtime, archivedNow);
  }
}
