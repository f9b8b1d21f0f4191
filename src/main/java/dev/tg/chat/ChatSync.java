package dev.tg.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.JsonSerializable;
import dev.tg.archive.Archive;
import dev.tg.archive.ArchiveStore;
import dev.tg.archive.MessageChange;
import dev.tg.archive.SyncStateRow;
import dev.tg.chat.ChatState.Access;
import dev.tg.config.SyncSettings;
import dev.tg.scheduler.Priority;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.status.ChatProgress;
import dev.tg.status.ChatProgress.JobInfo;
import dev.tg.status.Status;
import dev.tg.telegram.TdChat.ChatKind;
import dev.tg.telegram.TdClient;
import dev.tg.telegram.TdException;
import dev.tg.archive.MessageRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One chat's sync: an event-sourced actor holding both cursors and the policy, and running the chat's jobs
 * (forward catch-up, initial load, backward history) one request at a time with tokens from the scheduler.
 *
 * <p>The invariant: a cursor event is persisted only after the messages it covers are stored in the archive,
 * and the forward cursor never moves over a range that is not fully stored.
 */
public final class ChatSync
    extends EventSourcedBehaviorWithEnforcedReplies<ChatSync.Command, ChatSync.Event, ChatState> {

  /** What every chat actor of an account shares. */
  public record Setup(
      String account,
      SyncSettings settings,
      ScheduledClient telegram,
      Archive archive,
      ActorRef<Chats.Command> parent,
      ActorRef<Status.Command> status) {}

  public interface Command extends JsonSerializable {}

  /**
   * The chat as TDLib describes it; {@code memberCount} -1 keeps the known count; {@code lastMessageId} is the
   * newest message TDLib knows (0 when unknown).
   */
  public record Describe(String title, ChatKind kind, int memberCount, long upgradedToChatId, long lastMessageId)
      implements Command {}

  /** The scheduler lets chats work: catch-up first. */
  public enum Start implements Command {
    INSTANCE
  }

  /**
   * A real-time change (new message, edit, deletion), stored at once; {@code realTime} is whether TDLib's
   * connection was ready when it was heard (not connecting or fetching missed updates).
   */
  public record Live(MessageChange change, boolean realTime) implements Command {}

  /** TDLib's connection is ready again after a routine update, with no long outage. */
  public enum ConnectionReady implements Command {
    INSTANCE
  }

  /** {@code updateChatLastMessage}; 0 when TDLib does not know the last message. */
  public record LastMessageChanged(long lastMessageId) implements Command {}

  /** Messages may have been missed (connection back after an outage): catch up. */
  public enum CatchUp implements Command {
    INSTANCE
  }

  public record RequestSync(ActorRef<StatusReply<ChatProgress>> replyTo) implements Command {}

  public record GetProgress(ActorRef<ChatProgress> replyTo) implements Command {}

  private record Answered(Job job, ObjectNode answer) implements Command {}

  private record RequestFailed(Job job, Throwable error) implements Command {}

  private record PageStored(Job job, List<MessageRecord> page, ArchiveStore.Stored stored) implements Command {}

  private record LiveStored(List<MessageChange> batch, ArchiveStore.Stored stored) implements Command {}

  private record StoreFailed(Throwable error) implements Command {}

  /** The pause between two history batches is over. */
  private enum Resume implements Command {
    INSTANCE
  }

  /** The backoff after a failed request is over: send it again. */
  private enum Retry implements Command {
    INSTANCE
  }

  public interface Event extends JsonSerializable {}

  public record ChatDescribed(String title, ChatPolicy policy, long upgradedToChatId, Instant at) implements Event {}

  public record SyncRequested(ChatPolicy policy, Instant at) implements Event {}

  /** The newest page is stored: both cursors are set for the first time. */
  public record InitialLoadStored(long forwardCursor, long backwardCursor, long archived, Instant at)
      implements Event {}

  public record ForwardAdvanced(long forwardCursor, long archived, Instant at) implements Event {}

  public record HistoryBatchStored(long backwardCursor, long archived, Instant at) implements Event {}

  public record HistoryCompleted(long archived, Instant at) implements Event {}

  public record TotalCountLearned(long total) implements Event {}

  public record ChatInaccessible(String reason, Instant at) implements Event {}

  public record ChatDeleted(Instant at) implements Event {}

  public record BackwardCursorReset(String reason, Instant at) implements Event {}

  enum JobType {
    FORWARD_CATCHUP,
    INITIAL_LOAD,
    MESSAGE_COUNT,
    BACKWARD_HISTORY;

    String tableName() {
      return name().toLowerCase();
    }
  }

  /** The job in progress; runtime only, rebuilt from the state after a restart. */
  private static final class Job {
    final JobType type;
    final Priority priority;
    final Instant startedAt = Instant.now();
    final long boundary;
    final CompletionStage<Long> row;
    long nextFrom;
    long top;
    long fetched;
    int failures;
    boolean reachedBoundary;
    boolean triggeredAgain;

    Job(JobType type, Priority priority, long boundary, CompletionStage<Long> row) {
      this.type = type;
      this.priority = priority;
      this.boundary = boundary;
      this.row = row;
    }
  }

  public static String persistenceIdPrefix(String account) {
    return "chat|" + account + "|";
  }

  public static Behavior<Command> create(long chatId, Setup setup) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new ChatSync(context, timers, chatId, setup)));
  }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final long chatId;
  private final Setup setup;
  private final SyncSettings settings;

  // runtime, never persisted: after a restart the chat catches up before anything else
  private boolean started;
  private boolean opened;
  private boolean countTried;
  private Job job;
  private boolean waitingForStep;
  private boolean liveContiguous;
  private boolean collectingLive;
  private long collectedLiveMax;
  private long lastLiveId;
  private final ArrayDeque<MessageChange> liveQueue = new ArrayDeque<>();
  private boolean liveStoreInFlight;
  private long archivedNow;
  private int errors;
  private String lastError;

  private ChatSync(ActorContext<Command> context, TimerScheduler<Command> timers, long chatId, Setup setup) {
    // a journal that fails (disk full, locked) costs a restart from the last event, never a message
    super(PersistenceId.ofUniqueId(persistenceIdPrefix(setup.account()) + chatId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.context = context;
    this.timers = timers;
    this.chatId = chatId;
    this.setup = setup;
    this.settings = setup.settings();
  }

  @Override
  public ChatState emptyState() {
    return ChatState.unknown();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public SignalHandler<ChatState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          forgetRuntime(state);
          // the read model may have missed the last change before a kill
          changed(state);
          setup.parent().tell(new Chats.ChatRecovered(chatId));
        })
        .build();
  }

  /**
   * After a journal failure the behavior restarts inside this same object: what ran before is abandoned (its
   * late answers are ignored) and the chat starts over from its persisted cursors, catch-up first.
   */
  private void forgetRuntime(ChatState state) {
    if (job != null) {
      finishJob("failed", "restarted after a journal failure", state);
    }
    timers.cancelAll();
    waitingForStep = false;
    liveContiguous = false;
    collectingLive = false;
    collectedLiveMax = 0;
    archivedNow = state.archived();
  }

  @Override
  public EventHandler<ChatState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(ChatState::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, ChatState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Describe.class, this::onDescribe)
        .onCommand(Start.class, this::onStart)
        .onCommand(Live.class, this::onLive)
        .onCommand(LiveStored.class, this::onLiveStored)
        .onCommand(LastMessageChanged.class, this::onLastMessageChanged)
        .onCommand(CatchUp.class, (state, command) -> triggerCatchUp(state))
        .onCommand(ConnectionReady.class, (state, command) -> Effect().none().thenNoReply())
        .onCommand(RequestSync.class, this::onRequestSync)
        .onCommand(GetProgress.class, (state, command) -> Effect().reply(command.replyTo(), progress(state)))
        .onCommand(Answered.class, this::onAnswered)
        .onCommand(RequestFailed.class, this::onRequestFailed)
        .onCommand(PageStored.class, this::onPageStored)
        .onCommand(StoreFailed.class, (state, failed) -> {
          throw new IllegalStateException("[" + chatId + "] archive write failed", failed.error());
        })
        .onCommand(Resume.class, (state, command) -> {
          waitingForStep = false;
          advance(state);
          return Effect().none().thenNoReply();
        })
        .onCommand(Retry.class, (state, command) -> {
          waitingForStep = false;
          if (job != null && state.syncing()) {
            send(state);
          } else {
            advance(state);
          }
          return Effect().none().thenNoReply();
        })
        .build();
  }

  // --- policy and requests ---

  private ReplyEffect<Event, ChatState> onDescribe(ChatState state, Describe describe) {
    if (!started && state.initialized() && describe.lastMessageId() != 0
        && describe.lastMessageId() == state.forwardCursor()) {
      // nothing arrived while the node was down: no catch-up request needed; a later jump still triggers one
      liveContiguous = true;
    }
    int memberCount = describe.memberCount() >= 0 || !state.described()
        ? Math.max(0, describe.memberCount())
        : state.policy().memberCount();
    ChatPolicy policy = ChatPolicy.decide(describe.kind(), memberCount, state.requested(), settings.priorities());
    if (state.described()
        && policy.equals(state.policy())
        && describe.title().equals(state.title())
        && describe.upgradedToChatId() == state.upgradedToChatId()) {
      return Effect().none().thenNoReply();
    }
    return Effect()
        .persist(new ChatDescribed(describe.title(), policy, describe.upgradedToChatId(), Instant.now()))
        .thenRun(this::changed)
        .thenRun(this::openIfSyncing)
        .thenRun(this::proceedIfIdle)
        .thenNoReply();
  }

  private ReplyEffect<Event, ChatState> onRequestSync(ChatState state, RequestSync request) {
    if (!state.described()) {
      return Effect().reply(request.replyTo(), StatusReply.error("unknown chat " + chatId));
    }
    if (state.access() != Access.ACTIVE) {
      return Effect().reply(request.replyTo(),
          StatusReply.error("chat " + chatId + " is " + state.access().name().toLowerCase()));
    }
    if (state.requested()) {
      return Effect().reply(request.replyTo(), StatusReply.success(progress(state)));
    }
    ChatPolicy policy = ChatPolicy.decide(
        state.policy().kind(), state.policy().memberCount(), true, settings.priorities());
    return Effect()
        .persist(new SyncRequested(policy, Instant.now()))
        .thenRun(this::changed)
        .thenRun(this::openIfSyncing)
        .thenRun(this::proceedIfIdle)
        .thenReply(request.replyTo(), newState -> StatusReply.success(progress(newState)));
  }

  private ReplyEffect<Event, ChatState> onStart(ChatState state, Start start) {
    started = true;
    openIfSyncing(state);
    proceedIfIdle(state);
    setup.parent().tell(new Chats.ChatReported(chatId));
    return Effect().none().thenNoReply();
  }

  /** Supergroups and channels deliver all their updates only while TDLib has them open. */
  private void openIfSyncing(ChatState state) {
    boolean supergroup = state.described()
        && (state.policy().kind() == ChatKind.SUPERGROUP || state.policy().kind() == ChatKind.CHANNEL);
    if (started && !opened && supergroup && state.syncing()) {
      opened = true;
      setup.telegram().sendLocal(TdClient.request("openChat").put("chat_id", chatId));
    }
  }

  // --- jobs ---

  /** Starts the next job when nothing runs; true when a request went out. */
  private boolean proceedIfIdle(ChatState state) {
    if (job == null && started && !waitingForStep) {
      advance(state);
      return job != null;
    }
    return false;
  }

  /**
   * After a step: backward history goes on as one job while its priority holds; anything else ends the job,
   * and the next one starts.
   */
  private void advance(ChatState state) {
    if (waitingForStep || !started) {
      return;
    }
    JobType nextType = nextJobType(state);
    Priority nextPriority = nextType == null ? null : priorityOf(nextType, state);
    boolean sameHistoryJob = job != null && job.type == JobType.BACKWARD_HISTORY
        && nextType == JobType.BACKWARD_HISTORY && job.priority == nextPriority;
    if (job != null && !sameHistoryJob) {
      finishJob("completed", null, state);
    }
    if (nextType != null && job == null) {
      long boundary = nextType == JobType.FORWARD_CATCHUP ? state.forwardCursor() : 0;
      job = new Job(nextType, nextPriority, boundary, setup.archive().write(store -> store.jobStarted(
          setup.account(), chatId, nextType.tableName(), nextPriority.ordinal(), state.backwardCursor())));
    }
    publish(state);
    if (job != null) {
      send(state);
    }
  }

  private JobType nextJobType(ChatState state) {
    if (!state.syncing()) {
      return null;
    }
    if (!state.initialized()) {
      return JobType.INITIAL_LOAD;
    }
    if (!liveContiguous) {
      return JobType.FORWARD_CATCHUP;
    }
    if (state.historyComplete()) {
      return null;
    }
    return state.knownTotal() == 0 && !countTried ? JobType.MESSAGE_COUNT : JobType.BACKWARD_HISTORY;
  }

  /**
   * Catch-up is real time; every chat's first messages come before anyone's deep history (a medium group loads
   * its last messages at P1), then history runs at the chat's tier.
   */
  private Priority priorityOf(JobType type, ChatState state) {
    Priority tier = state.policy().priority();
    boolean firstMessages = type == JobType.INITIAL_LOAD
        || state.archived() < settings.priorities().mediumInitialLoad();
    return switch (type) {
      case FORWARD_CATCHUP -> Priority.P0;
      case INITIAL_LOAD, MESSAGE_COUNT, BACKWARD_HISTORY ->
          firstMessages && tier.compareTo(Priority.P1) > 0 && tier != Priority.P4 ? Priority.P1 : tier;
    };
  }

  private void send(ChatState state) {
    Job current = job;
    ObjectNode request = switch (current.type) {
      case FORWARD_CATCHUP -> history(current.nextFrom, settings.historyBatchSize());
      case INITIAL_LOAD -> history(0, state.policy().priority() == Priority.P2
          ? settings.priorities().mediumInitialLoad()
          : settings.historyBatchSize());
      case BACKWARD_HISTORY -> history(state.backwardCursor(), settings.historyBatchSize());
      // getChatMessageCount refuses searchMessagesFilterEmpty (MessagesManager::get_dialog_message_count);
      // an empty search is counted by the server (SearchChatMessagesRequest), an estimate at best
      case MESSAGE_COUNT -> TdClient.request("searchChatMessages").put("chat_id", chatId).put("query", "")
          .put("from_message_id", 0).put("offset", 0).put("limit", 1);
    };
    context.pipeToSelf(setup.telegram().send(chatId, current.priority, request), (answer, failure) ->
        failure == null ? new Answered(current, answer) : new RequestFailed(current, TdException.unwrap(failure)));
  }

  private ObjectNode history(long fromMessageId, int limit) {
    return TdClient.request("getChatHistory")
        .put("chat_id", chatId)
        .put("from_message_id", fromMessageId)
        .put("offset", 0)
        .put("limit", limit)
        .put("only_local", false);
  }

  private ReplyEffect<Event, ChatState> onAnswered(ChatState state, Answered answered) {
    Job current = answered.job();
    if (current != job) {
      return Effect().none().thenNoReply();
    }
    current.failures = 0;
    if (current.type == JobType.MESSAGE_COUNT) {
      countTried = true;
      long total = answered.answer().path("total_count").asLong();
      if (total <= 0) {
        advance(state);
        return Effect().none().thenNoReply();
      }
      return Effect().persist(new TotalCountLearned(total)).thenRun(this::changed).thenRun(this::advance)
          .thenNoReply();
    }
    List<MessageRecord> page = new ArrayList<>();
    for (JsonNode message : answered.answer().path("messages")) {
      MessageRecord parsed = MessageRecord.of(message);
      if (!parsed.pending()) {
        page.add(parsed);
      }
    }
    long newest = page.stream().mapToLong(MessageRecord::id).max().orElse(0);
    long oldest = page.stream().mapToLong(MessageRecord::id).min().orElse(0);
    boolean firstPageOfTop = current.type == JobType.INITIAL_LOAD
        || (current.type == JobType.FORWARD_CATCHUP && current.nextFrom == 0);
    if (firstPageOfTop) {
      // live messages stored from here on follow this page without a gap
      current.top = newest;
      collectingLive = true;
      collectedLiveMax = 0;
    }
    if (page.isEmpty() && current.type != JobType.FORWARD_CATCHUP) {
      return Effect().persist(new HistoryCompleted(archivedNow, Instant.now()))
          .thenRun(newState -> {
            if (current.type == JobType.INITIAL_LOAD) {
              becomeContiguous();
            }
          })
          .thenRun(this::changed)
          .thenRun(this::advance)
          .thenNoReply();
    }
    if (current.type == JobType.FORWARD_CATCHUP) {
      current.reachedBoundary = page.isEmpty() || oldest <= current.boundary;
      current.nextFrom = oldest;
      page.removeIf(message -> message.id() <= current.boundary);
    }
    current.fetched += page.size();
    context.pipeToSelf(
        setup.archive().write(store -> store.storeMessages(setup.account(), chatId, page)),
        (stored, failure) -> failure == null ? new PageStored(current, page, stored) : new StoreFailed(failure));
    return Effect().none().thenNoReply();
  }

  private ReplyEffect<Event, ChatState> onPageStored(ChatState state, PageStored stored) {
    Job current = stored.job();
    if (current != job) {
      return Effect().none().thenNoReply();
    }
    archivedNow = Math.max(archivedNow, stored.stored().archivedTotal());
    long oldest = stored.page().stream().mapToLong(MessageRecord::id).min().orElse(0);
    Instant now = Instant.now();
    switch (current.type) {
      case INITIAL_LOAD -> {
        long forward = Math.max(state.forwardCursor(), Math.max(current.top, collectedLiveMax));
        return Effect().persist(new InitialLoadStored(forward, oldest, archivedNow, now))
            .thenRun(newState -> becomeContiguous())
            .thenRun(this::changed)
            .thenRun(this::advance)
            .thenNoReply();
      }
      case FORWARD_CATCHUP -> {
        if (!current.reachedBoundary) {
          send(state);
          publish(state);
          return Effect().none().thenNoReply();
        }
        long forward = Math.max(current.top, collectedLiveMax);
        if (!current.triggeredAgain) {
          becomeContiguous();
        }
        collectingLive = current.triggeredAgain;
        finishJob("completed", null, state);
        if (forward <= state.forwardCursor()) {
          changed(state);
          advance(state);
          return Effect().none().thenNoReply();
        }
        return Effect().persist(new ForwardAdvanced(forward, archivedNow, now))
            .thenRun(this::changed)
            .thenRun(this::advance)
            .thenNoReply();
      }
      default -> {
        return Effect().persist(new HistoryBatchStored(oldest, archivedNow, now))
            .thenRun(this::changed)
            .thenRun(newState -> pauseThenAdvance(settings.historyBatchInterval()))
            .thenNoReply();
      }
    }
  }

  private void becomeContiguous() {
    liveContiguous = true;
    collectingLive = false;
    collectedLiveMax = 0;
  }

  private void pauseThenAdvance(Duration pause) {
    waitingForStep = true;
    timers.startSingleTimer(Resume.INSTANCE, pause);
  }

  private ReplyEffect<Event, ChatState> onRequestFailed(ChatState state, RequestFailed failed) {
    Job current = failed.job();
    if (current != job) {
      return Effect().none().thenNoReply();
    }
    Throwable error = failed.error();
    errors++;
    lastError = error.getMessage();
    if (error instanceof TdException.FloodWait) {
      send(state); // the scheduler holds the token until the flood wait is over
      return Effect().none().thenNoReply();
    }
    if (current.type == JobType.MESSAGE_COUNT) {
      // the total is only an estimate for progress: history never waits for it
      countTried = true;
      advance(state);
      return Effect().none().thenNoReply();
    }
    if (error instanceof TdException.NoAccess) {
      return endWith(new ChatInaccessible(error.getMessage(), Instant.now()), error);
    }
    if (error instanceof TdException.NotFound) {
      return endWith(new ChatDeleted(Instant.now()), error);
    }
    if (error instanceof TdException.InvalidCursor) {
      return endWith(new BackwardCursorReset(error.getMessage(), Instant.now()), error);
    }
    current.failures++;
    int maxRetries = settings.rateLimits().maxRetries();
    context.getLog().info("[{}] [{}] failed ({} in a row): {}", chatId, current.type, current.failures,
        error.getMessage());
    waitingForStep = true;
    if (current.failures >= maxRetries) {
      // recorded as failed; a new job with the same work starts after the longest backoff
      finishJob("failed", error.getMessage(), state);
      timers.startSingleTimer(Resume.INSTANCE, settings.rateLimits().retryBackoffMax());
    } else {
      timers.startSingleTimer(Retry.INSTANCE, backoff(current.failures));
    }
    publish(state);
    return Effect().none().thenNoReply();
  }

  private ReplyEffect<Event, ChatState> endWith(Event event, Throwable error) {
    context.getLog().warn("[{}] leaves sync: {}", chatId, error.getMessage());
    return Effect().persist(event)
        .thenRun(newState -> finishJob("failed", error.getMessage(), newState))
        .thenRun(this::changed)
        .thenRun(this::advance)
        .thenNoReply();
  }

  /** Exponential from the minimum, capped, with half of it random so that chats do not retry in step. */
  private Duration backoff(int failures) {
    long min = Math.max(1, settings.rateLimits().retryBackoffMin().toMillis());
    long max = settings.rateLimits().retryBackoffMax().toMillis();
    long exponential = Math.min(max, min << Math.min(failures - 1, 20));
    return Duration.ofMillis(exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1));
  }

  private void finishJob(String outcome, String error, ChatState state) {
    Job finished = job;
    job = null;
    long cursorEnd = finished.type == JobType.FORWARD_CATCHUP ? state.forwardCursor() : state.backwardCursor();
    finished.row.thenAccept(rowId -> setup.archive().run(store ->
        store.jobEnded(rowId, outcome, cursorEnd, finished.fetched, error)));
  }

  // --- real time ---

  private ReplyEffect<Event, ChatState> onLive(ChatState state, Live live) {
    if (live.change() instanceof MessageChange.Added added) {
      if (!state.syncing() || added.message().pending()) {
        return Effect().none().thenNoReply();
      }
      lastLiveId = Math.max(lastLiveId, added.message().id());
    }
    liveQueue.add(live.change());
    storeLive();
    return Effect().none().thenNoReply();
  }

  /** One live batch in flight per chat, so changes reach the archive in the order they arrived. */
  private void storeLive() {
    if (liveStoreInFlight || liveQueue.isEmpty()) {
      return;
    }
    List<MessageChange> batch = new ArrayList<>(liveQueue);
    liveQueue.clear();
    liveStoreInFlight = true;
    context.pipeToSelf(
        setup.archive().writeNow(store -> store.applyChanges(setup.account(), chatId, batch)),
        (stored, failure) -> failure == null ? new LiveStored(batch, stored) : new StoreFailed(failure));
  }

  private ReplyEffect<Event, ChatState> onLiveStored(ChatState state, LiveStored stored) {
    liveStoreInFlight = false;
    archivedNow = Math.max(archivedNow, stored.stored().archivedTotal());
    long newest = stored.batch().stream()
        .filter(MessageChange.Added.class::isInstance)
        .mapToLong(change -> ((MessageChange.Added) change).message().id())
        .max()
        .orElse(0);
    storeLive();
    if (newest == 0) {
      return Effect().none().thenNoReply();
    }
    if (liveContiguous && state.initialized() && newest > state.forwardCursor()) {
      return Effect().persist(new ForwardAdvanced(newest, archivedNow, Instant.now()))
          .thenRun(this::changed)
          .thenNoReply();
    }
    if (collectingLive) {
      collectedLiveMax = Math.max(collectedLiveMax, newest);
    }
    publish(state);
    return Effect().none().thenNoReply();
  }

  private ReplyEffect<Event, ChatState> onLastMessageChanged(ChatState state, LastMessageChanged changed) {
    long last = changed.lastMessageId();
    boolean gap = last == 0 || last > Math.max(state.forwardCursor(), lastLiveId);
    if (state.initialized() && gap) {
      return triggerCatchUp(state);
    }
    return Effect().none().thenNoReply();
  }

  private ReplyEffect<Event, ChatState> triggerCatchUp(ChatState state) {
    if (!state.syncing() || !state.initialized()) {
      return Effect().none().thenNoReply();
    }
    liveContiguous = false;
    if (job != null && job.type == JobType.FORWARD_CATCHUP) {
      job.triggeredAgain = true;
    } else {
      proceedIfIdle(state);
    }
    return Effect().none().thenNoReply();
  }

  // --- what others see ---

  private void changed(ChatState state) {
    publish(state);
    if (state.described()) {
      setup.archive().saveSyncStateLater(setup.account(), new SyncStateRow(chatId, state.policy().kind().tableName(),
          state.title(), state.policy().memberCount(), state.forwardCursor(), state.backwardCursor(),
          state.policy().priority().ordinal(), state.policy().enabled(), state.historyComplete(),
          state.access().name().toLowerCase(), state.knownTotal(), state.archived(), state.lastForwardSync(),
          state.lastBackwardSync()));
    }
  }

  private void publish(ChatState state) {
    if (state.described()) {
      setup.status().tell(new Status.ChatUpdated(progress(state)));
    }
  }

  private ChatProgress progress(ChatState state) {
    ChatPolicy policy = state.policy();
    JobInfo jobInfo = job == null ? null : new JobInfo(job.type.tableName(), job.priority, job.startedAt, job.fetched);
    return new ChatProgress(chatId, state.title(), policy == null ? "" : policy.kind().tableName(),
        policy == null ? 0 : policy.memberCount(), policy == null ? null : policy.priority(),
        policy != null && policy.enabled(), state.access().name().toLowerCase(), state.forwardCursor(), state.backwardCursor(),
        state.historyComplete(), Math.max(archivedNow, state.archived()), state.knownTotal(), jobInfo, errors,
        lastError, Instant.now());
  }
}
