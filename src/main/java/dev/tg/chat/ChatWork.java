package dev.tg.chat;

import dev.tg.archive.Storage;
import dev.tg.chat.ChatRuntime.Job;
import dev.tg.chat.ChatRuntime.JobKind;
import dev.tg.chat.ChatRuntime.Phase;
import dev.tg.scheduler.Priority;
import dev.tg.status.ChatProgress;
import dev.tg.status.Status;
import dev.tg.telegram.TdException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The work of a syncing chat, for its {@link ChatSync} actor: it owns what the actor may lose (the
 * {@link ChatRuntime}), runs the chat's jobs one request at a time, writes live changes in the order they came, and
 * moves the forward cursor as far as the {@link Frontier} allows, each cursor event persisted only after the
 * messages it covers are stored. {@link ChatJobs} decides what to ask TDLib and what a page covers.
 */
final class ChatWork {
  // unique over every incarnation of every chat: an answer or a write of an earlier one is never mistaken
  private static final AtomicLong INCARNATIONS = new AtomicLong();

  private final long chatId;
  private final ChatSync.Setup setup;
  private final ActorContext<ChatSync.Command> context;
  private final TimerScheduler<ChatSync.Command> timers;
  private final EffectFactories<ChatSync.Event, ChatState> effects;
  private final ChatJobs jobs;
  private final JobRows rows;
  private final LiveLane live;
  private ChatRuntime runtime = ChatRuntime.recovered(0, 0, false, false);
  private long archivedNow;

  ChatWork(long chatId, ChatSync.Setup setup, ActorContext<ChatSync.Command> context,
      TimerScheduler<ChatSync.Command> timers, EffectFactories<ChatSync.Event, ChatState> effects) {
    this.chatId = chatId;
    this.setup = setup;
    this.context = context;
    this.timers = timers;
    this.effects = effects;
    this.jobs = new ChatJobs(chatId, setup.settings());
    this.rows = new JobRows(setup.account(), chatId, setup.archive());
    this.live = new LiveLane(chatId, setup, context);
  }

  ChatJobs jobs() {
    return jobs;
  }

  /** After a recovery, a journal failure's too: what ran before is abandoned, the chat catches up first. */
  void recovered(ChatState state) {
    endJob(state, "failed", "restarted after a journal failure");
    timers.cancelAll();
    runtime = ChatRuntime.recovered(INCARNATIONS.incrementAndGet(), state.forwardCursor(),
        jobs.resweepDueAfterRestart(state), !state.historyComplete() && state.knownTotal() == 0);
    archivedNow = state.archived();
    changed(state); // the read model may have missed the last change before a kill
  }

  void started() {
    runtime = runtime.asStarted();
  }

  /** Before the chat starts, TDLib may say nothing arrived while the node was down: no catch-up then. */
  void lastMessageKnown(long lastMessageId) {
    if (!runtime.started()) {
      runtime = runtime.with(runtime.frontier().upToDate(lastMessageId));
    }
  }

  /** A chat that stops syncing drops its news from now on: when it syncs again it must catch up first. */
  void stopSyncing(ChatState state, String why) {
    endJob(state, "failed", why);
    timers.cancelAll();
    runtime = runtime.with(Phase.IDLE).with(runtime.frontier().gap());
  }

  ReplyEffect<ChatSync.Event, ChatState> onLastMessageChanged(ChatState state, long lastMessageId) {
    return runtime.frontier().isGap(lastMessageId) ? onGap(state) : Effect().none().thenNoReply();
  }

  ReplyEffect<ChatSync.Event, ChatState> onConnectionReady(ChatState state) {
    runtime = runtime.with(runtime.frontier().ready());
    return advanceForward(state);
  }

  private EffectFactories<ChatSync.Event, ChatState> Effect() {
    return effects;
  }

  // --- jobs ---

  /** When nothing runs: open the chat if it must be, then start the next job, if there is one. */
  void proceed(ChatState state) {
    if (!runtime.started() || !state.syncing()) {
      publish(state);
      return;
    }
    if (!runtime.opened() && jobs.needsOpening(state)) {
      runtime = runtime.asOpened();
      setup.telegram().send(chatId, Priority.P0, ChatRequests.open(chatId));
    }
    // no request while the storage cannot take what it brings
    JobKind next = runtime.phase() instanceof Phase.Idle && !setup.archive().storage().paused()
        ? jobs.next(state, runtime) : null;
    if (next == null) {
      publish(state);
      return;
    }
    Job job = jobs.start(next, state, rows.started(next, jobs.priority(next, state), state));
    if (next == JobKind.INITIAL_LOAD || next == JobKind.FORWARD_CATCHUP) {
      runtime = runtime.with(runtime.frontier().catchUpStarted());
    }
    send(job, state);
  }

  private void send(Job job, ChatState state) {
    if (setup.archive().storage().paused()) {
      rows.ended(job, state, "failed", "paused: " + setup.archive().storage().condition().problem());
      runtime = runtime.with(Phase.IDLE);
      publish(state);
      return;
    }
    runtime = runtime.with(new Phase.Requesting(job));
    context.pipeToSelf(setup.telegram().send(chatId, job.priority(), jobs.request(job, state)), (answer, failure) ->
        failure == null
            ? new ChatSync.Answered(job.id(), answer)
            : new ChatSync.RequestFailed(job.id(), TdException.unwrap(failure)));
    publish(state);
  }

  ReplyEffect<ChatSync.Event, ChatState> onAnswered(ChatState state, ChatSync.Answered answered) {
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
      return Effect().persist(new ChatSync.TotalCountLearned(total))
          .thenRun(newState -> endAndProceed(job, newState))
          .thenNoReply();
    }
    HistoryPage page = HistoryPage.of(answered.answer());
    if (page.upgradedFrom() != 0) {
      setup.parent().tell(new Chats.PredecessorFound(page.upgradedFrom(), chatId));
    }
    if (jobs.opensForward(job)) {
      runtime = runtime.with(runtime.frontier().catchUpTop(page.newest()));
    }
    if (page.isEnd() && (job.kind() == JobKind.INITIAL_LOAD || job.kind() == JobKind.BACKWARD_HISTORY)) {
      Frontier finished = job.kind() == JobKind.INITIAL_LOAD ? runtime.frontier().catchUpFinished()
          : runtime.frontier();
      List<ChatSync.Event> events = jobs.historyEnds(state, finished, archivedNow);
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
        failure == null ? new ChatSync.PageStored(job.id(), page, stored)
            : new ChatSync.PageStoreFailed(job.id(), failure));
    // persisted before the cursor event that follows the stored page: a restart then still names the old group
    return page.upgradedFrom() != 0 && page.upgradedFrom() != state.upgradedFromBasicGroupId()
        ? Effect().persist(new ChatSync.UpgradeFromFound(page.upgradedFrom())).thenNoReply()
        : Effect().none().thenNoReply();
  }

  /** A page the storage could not take (a full disk) ends its job; it is fetched again once there is room. */
  ReplyEffect<ChatSync.Event, ChatState> onPageStoreFailed(ChatState state, ChatSync.PageStoreFailed failed) {
    Job job = currentJob(Phase.Storing.class, failed.jobId());
    if (job == null) {
      return Effect().none().thenNoReply();
    }
    String problem = storageProblem(failed.error());
    rows.ended(job, state, "failed", problem);
    runtime = runtime.failed(problem).with(Phase.IDLE);
    proceed(state);
    return Effect().none().thenNoReply();
  }

  /** SQLite's words for a storage failure; any other failure restarts the chat from its journal. */
  private String storageProblem(Throwable failure) {
    if (!Storage.isStorageFailure(failure)) {
      throw new IllegalStateException("[" + chatId + "] archive write failed", failure);
    }
    return Storage.describe(failure);
  }

  ReplyEffect<ChatSync.Event, ChatState> onPageStored(ChatState state, ChatSync.PageStored stored) {
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
        return Effect().persist(new ChatSync.InitialLoadStored(forward, page.oldest(), archivedNow, now))
            .thenRun(newState -> {
              runtime = runtime.with(finished.advancedTo(forward));
              endAndProceed(next, newState);
            })
            .thenNoReply();
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
        return Effect().persist(new ChatSync.HistoryBatchStored(page.oldest(), archivedNow, now))
            .thenRun(newState -> {
              changed(newState);
              runtime = runtime.with(new Phase.Waiting(next));
              timers.startSingleTimer(new ChatSync.Wake(next.id()), setup.settings().historyBatchInterval());
            })
            .thenNoReply();
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

  ReplyEffect<ChatSync.Event, ChatState> onWake(ChatState state, ChatSync.Wake wake) {
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

  ReplyEffect<ChatSync.Event, ChatState> onRequestFailed(ChatState state, ChatSync.RequestFailed failed) {
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
    if (error instanceof TdException.NotFound notFound && notFound.chatUnknown()) {
      return introduce(job, state);
    }
    ChatSync.Event ending = jobs.endingFor(error, job);
    if (ending != null) {
      return stop(job, ending, error);
    }
    Job retry = job.failedOnce();
    context.getLog().info("[{}] [{}] failed ({} in a row): {}", chatId, job.kind(), retry.failures(),
        error.getMessage());
    if (retry.failures() >= setup.settings().rateLimits().maxRetries()) {
      rows.ended(job, state, "failed", error.getMessage());
      runtime = runtime.with(new Phase.CoolingDown());
      timers.startSingleTimer(new ChatSync.Wake(0), setup.settings().rateLimits().retryBackoffMax());
    } else {
      runtime = runtime.with(new Phase.Waiting(retry));
      timers.startSingleTimer(new ChatSync.Wake(retry.id()), jobs.backoff(retry.failures()));
    }
    publish(state);
    return Effect().none().thenNoReply();
  }

  private ReplyEffect<ChatSync.Event, ChatState> stop(Job job, ChatSync.Event ending, Throwable error) {
    context.getLog().warn("[{}] [{}] stops: {}", chatId, job.kind(), error.getMessage());
    return Effect().persist(ending).thenRun(newState -> {
      if (newState.syncing()) {
        endJob(newState, "failed", error.getMessage());
        runtime = runtime.with(Phase.IDLE);
      } else {
        stopSyncing(newState, error.getMessage());
      }
      changed(newState);
      proceed(newState);
    }).thenNoReply();
  }

  /**
   * "Chat not found": this TDLib instance does not know the chat. Without its message database a new instance knows
   * only the chats it loaded or was told of since it started ({@code MessagesManager::get_dialog_force}), and the
   * pre-upgrade basic group of a supergroup is in no chat list. It says nothing of the chat on Telegram: TDLib is
   * told of the chat by the request for its kind, once per job, and the job goes on; when TDLib has no info on it
   * either, the job waits until TDLib announces the chat.
   */
  private ReplyEffect<ChatSync.Event, ChatState> introduce(Job job, ChatState state) {
    runtime = runtime.with(new Phase.AwaitingChat(job));
    if (job.failures() == 0) {
      context.pipeToSelf(setup.telegram().sendLocal(ChatRequests.introduce(chatId, state.policy().kind())),
          (chat, failure) -> new ChatSync.ChatIntroduced(job.id(),
              failure == null ? null : TdException.unwrap(failure)));
    }
    publish(state);
    return Effect().none().thenNoReply();
  }

  /**
   * TDLib knows the chat now, and the job goes on; it may not read it ("Can't access the chat": the chat is
   * inaccessible); or it knows nothing of its user or group ("Chat info not found"), and the job waits.
   */
  ReplyEffect<ChatSync.Event, ChatState> onChatIntroduced(ChatState state, ChatSync.ChatIntroduced introduced) {
    Job job = currentJob(Phase.AwaitingChat.class, introduced.jobId());
    if (job == null) {
      return Effect().none().thenNoReply();
    }
    Throwable failure = introduced.failure();
    if (failure == null) {
      send(job.failedOnce(), state);
      return Effect().none().thenNoReply();
    }
    if (failure instanceof TdException.NoAccess) {
      return stop(job, new ChatSync.ChatInaccessible(failure.getMessage(), Instant.now()), failure);
    }
    context.getLog().info("[{}] [{}] waits until TDLib knows the chat: {}", chatId, job.kind(), failure.getMessage());
    runtime = runtime.failed(failure.getMessage());
    publish(state);
    return Effect().none().thenNoReply();
  }

  /** TDLib announced the chat: a job that waited for it goes on. */
  void chatSeen(ChatState state) {
    if (state.syncing() && runtime.phase() instanceof Phase.AwaitingChat awaiting) {
      send(awaiting.job(), state);
    }
  }

  private ReplyEffect<ChatSync.Event, ChatState> finish(Job job, ChatState state) {
    endAndProceed(job, state);
    return Effect().none().thenNoReply();
  }

  private void endAndProceed(Job job, ChatState state) {
    rows.ended(job, state, "completed", null);
    runtime = runtime.with(Phase.IDLE);
    changed(state);
    proceed(state);
  }

  private void endJob(ChatState state, String outcome, String error) {
    Job job = runtime.phase().job();
    if (job != null) {
      rows.ended(job, state, outcome, error);
    }
  }

  /**
   * The failure of a job the chat gave up when it stopped syncing. On CHANNEL_PRIVATE TDLib "emulates leaving"
   * before it answers (ChatManager::on_get_channel_error): the chat has left its lists, and the refusal says why.
   * "Can't access the chat" after leaving is only what leaving means (check_dialog_access).
   */
  ReplyEffect<ChatSync.Event, ChatState> onFailureAfterStop(ChatState state, ChatSync.RequestFailed failed) {
    if (failed.error() instanceof TdException.NoAccess refusal && refusal.tdMessage().equals("CHANNEL_PRIVATE")
        && state.access() == ChatState.Access.LEFT) {
      return Effect().persist(new ChatSync.ChatInaccessible(refusal.getMessage(), Instant.now()))
          .thenRun(this::changed).thenNoReply();
    }
    return Effect().none().thenNoReply();
  }

  private Job currentJob(Class<? extends Phase> phase, long jobId) {
    Job job = runtime.phase().job();
    return phase.isInstance(runtime.phase()) && job.id() == jobId ? job : null;
  }

  // --- real time ---

  ReplyEffect<ChatSync.Event, ChatState> onLive(ChatState state, ChatSync.Live change) {
    runtime = live.heard(runtime, change);
    return Effect().none().thenNoReply();
  }

  ReplyEffect<ChatSync.Event, ChatState> onLiveStored(ChatState state, ChatSync.LiveStored stored) {
    if (stored.incarnation() != runtime.incarnation()) {
      return Effect().none().thenNoReply();
    }
    archivedNow = Math.max(archivedNow, stored.archivedTotal());
    runtime = live.stored(runtime, stored);
    return advanceForward(state);
  }

  /**
   * Live changes the storage could not take are a possible gap: the cursor never covers them, and the catch-up
   * (and re-sweep) after it fetches them once there is room.
   */
  ReplyEffect<ChatSync.Event, ChatState> onLiveStoreFailed(ChatState state, ChatSync.LiveStoreFailed failed) {
    if (failed.incarnation() != runtime.incarnation()) {
      return Effect().none().thenNoReply();
    }
    runtime = live.failed(runtime, storageProblem(failed.error()));
    return onGap(state);
  }

  ReplyEffect<ChatSync.Event, ChatState> onGap(ChatState state) {
    runtime = runtime.with(runtime.frontier().gap()).resweep(true);
    proceed(state);
    return Effect().none().thenNoReply();
  }

  ReplyEffect<ChatSync.Event, ChatState> advanceForward(ChatState state) {
    return advanceForwardThen(state, this::publish);
  }

  /** Moves the forward cursor as far as the frontier allows (persisted first), then goes on. */
  private ReplyEffect<ChatSync.Event, ChatState> advanceForwardThen(ChatState state, Consumer<ChatState> then) {
    long target = runtime.frontier().advanceTarget();
    if (!state.initialized() || target <= state.forwardCursor()) {
      then.accept(state);
      return Effect().none().thenNoReply();
    }
    return Effect().persist(new ChatSync.ForwardAdvanced(target, archivedNow, Instant.now())).thenRun(newState -> {
      runtime = runtime.with(runtime.frontier().advancedTo(target));
      changed(newState);
      then.accept(newState);
    }).thenNoReply();
  }

  // --- what others see ---

  void changed(ChatState state) {
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

  ChatProgress progress(ChatState state) {
    return ChatJobs.progress(chatId, state, runtime, archivedNow);
  }
}
