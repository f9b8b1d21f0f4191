package dev.tg.scheduler;

import dev.tg.JsonSerializable;
import dev.tg.chat.ChatSync;
import dev.tg.config.SyncSettings;
import dev.tg.status.Status;
import dev.tg.telegram.TdChat.ChatKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
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
 * Parent of the account's chat actors and keeper of its request budget: grants tokens in priority order (P0
 * first, FIFO within a tier) under the global and per-chat rates and the concurrency limit, and grants nothing
 * during a flood wait.
 */
public final class Scheduler extends AbstractBehavior<Scheduler.Command> {

  public interface Command extends JsonSerializable {}

  public record RequestToken(long chatId, Priority priority, String method, ActorRef<TokenGranted> replyTo)
      implements Command {}

  public record TokenGranted(long grantId) implements JsonSerializable {}

  /** A granted request is done; {@code floodWait} is non-zero when Telegram answered 429. */
  public record ReleaseToken(long grantId, String method, Duration latency, Duration floodWait) implements Command {}

  /**
   * A chat from TDLib's list or updates; {@code memberCount} is -1 when it was not looked up again,
   * {@code lastMessageId} 0 when unknown.
   */
  public record ChatSeen(
      long chatId, String title, ChatKind kind, int memberCount, long upgradedToChatId, long lastMessageId)
      implements Command {}

  public record ToChat(long chatId, ChatSync.Command command) implements Command {}

  public record ToAllChats(ChatSync.Command command) implements Command {}

  /** Chat list loaded: chats may start their work, catch-up first. */
  public enum Start implements Command {
    INSTANCE
  }

  /** A chat actor (re)started and recovered: if the account has started, so may it. */
  public record ChatRecovered(long chatId) implements Command {}

  /** A started chat has no work to ask for. */
  public record ChatIdle(long chatId) implements Command {}

  public record GetKnownChats(ActorRef<KnownChats> replyTo) implements Command {}

  public record KnownChats(Set<Long> chatIds) implements JsonSerializable {}

  /** {@code tg sync}: enable a chat explicitly at P4. */
  public record SyncChat(long chatId, ActorRef<StatusReply<ChatSync.ChatProgress>> replyTo) implements Command {}

  private record KnownChatsLoaded(List<Long> chatIds) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private enum Publish implements Command {
    INSTANCE
  }

  private record Waiting(long chatId, Priority priority, String method, ActorRef<TokenGranted> replyTo) {}

  private record Grant(long chatId, String method, long grantedAt) {}

  // a request answered this slowly was held by TDLib's own flood wait
  static final Duration SLOW_ANSWER = Duration.ofSeconds(1);
  private static final Duration PUBLISH_INTERVAL = Duration.ofSeconds(1);
  // ten thousand chats recover from the journal in about eight seconds
  private static final Duration GATE_TIMEOUT = Duration.ofSeconds(60);

  private final String account;
  private final SyncSettings settings;
  private final Function<ActorRef<Command>, ChatSync.Setup> chatSetup;
  private final ActorRef<Status.Command> status;
  private final TimerScheduler<Command> timers;

  private final Map<Long, ActorRef<ChatSync.Command>> chats = new HashMap<>();
  private final EnumMap<Priority, ArrayDeque<Waiting>> queue = new EnumMap<>(Priority.class);
  private final Map<Long, Grant> inFlight = new HashMap<>();
  private final RateWindow globalWindow = new RateWindow();
  private final Map<Long, RateWindow> chatWindows = new HashMap<>();
  private final AdaptiveRate rate;
  private final Set<Long> awaitingFirstWord = new HashSet<>();
  private boolean started;
  private boolean gateOpen;
  private long nextGrantId = 1;
  private long lastFloodAt = Long.MIN_VALUE;
  private Instant floodUntil = Instant.EPOCH;
  private String floodCause;
  private long floodSeconds;

  private Scheduler(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      String account,
      SyncSettings settings,
      Function<ActorRef<Command>, ChatSync.Setup> chatSetup,
      ActorRef<Status.Command> status) {
    super(context);
    this.timers = timers;
    this.account = account;
    this.settings = settings;
    this.chatSetup = chatSetup;
    this.status = status;
    this.rate = new AdaptiveRate(settings.rateLimits().globalRps(), System.nanoTime());
    for (Priority priority : Priority.values()) {
      queue.put(priority, new ArrayDeque<>());
    }
    timers.startTimerWithFixedDelay(Publish.INSTANCE, PUBLISH_INTERVAL);
    context.getSelf().tell(Publish.INSTANCE);
  }

  /**
   * The scheduler of one account; {@code chatSetup} gives a chat actor what it needs, given this scheduler.
   */
  public static Behavior<Command> create(
      String account,
      SyncSettings settings,
      Function<ActorRef<Command>, ChatSync.Setup> chatSetup,
      ActorRef<Status.Command> status) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> Behaviors.withStash(10_000, stash -> {
      loadKnownChats(context, account);
      return Behaviors.receive(Command.class)
          .onMessage(KnownChatsLoaded.class, loaded -> {
            Scheduler scheduler = new Scheduler(context, timers, account, settings, chatSetup, status);
            loaded.chatIds().forEach(scheduler::chat);
            return stash.unstashAll(scheduler);
          })
          .onAnyMessage(command -> {
            stash.stash(command);
            return Behaviors.same();
          })
          .build();
    })));
  }

  /** Chats with a journal start recovering at once, so their catch-up is ready when the list is loaded. */
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
        .onMessage(RequestToken.class, this::onRequestToken)
        .onMessage(ReleaseToken.class, this::onReleaseToken)
        .onMessage(ChatSeen.class, this::onChatSeen)
        .onMessage(ToChat.class, this::onToChat)
        .onMessage(ToAllChats.class, this::onToAllChats)
        .onMessageEquals(Start.INSTANCE, this::onStart)
        .onMessage(ChatIdle.class, idle -> heardFrom(idle.chatId()))
        .onMessage(ChatRecovered.class, this::onChatRecovered)
        .onMessage(GetKnownChats.class, this::onGetKnownChats)
        .onMessage(SyncChat.class, this::onSyncChat)
        .onMessageEquals(Tick.INSTANCE, this::grantWhatFits)
        .onMessageEquals(Publish.INSTANCE, this::onPublish)
        .build();
  }

  private ActorRef<ChatSync.Command> chat(long chatId) {
    return chats.computeIfAbsent(chatId, id -> {
      // a chat (re)started later asks to start with ChatRecovered
      return getContext().spawn(
          Behaviors.supervise(ChatSync.create(id, chatSetup.apply(getContext().getSelf())))
              .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2)),
          "chat-" + id);
    });
  }

  private Behavior<Command> onRequestToken(RequestToken request) {
    queue.get(request.priority())
        .addLast(new Waiting(request.chatId(), request.priority(), request.method(), request.replyTo()));
    heardFrom(request.chatId());
    return this;
  }

  private Behavior<Command> heardFrom(long chatId) {
    if (awaitingFirstWord.remove(chatId) && awaitingFirstWord.isEmpty()) {
      openGate();
    }
    return grantWhatFits();
  }

  private Behavior<Command> onReleaseToken(ReleaseToken release) {
    Grant grant = inFlight.remove(release.grantId());
    long now = System.nanoTime();
    if (!release.floodWait().isZero()) {
      Duration pause = Duration.ofMillis(
          (long) (release.floodWait().toMillis() * settings.rateLimits().floodWaitMultiplier()));
      Instant until = Instant.now().plus(pause);
      if (until.isAfter(floodUntil)) {
        floodUntil = until;
        floodCause = release.method();
        floodSeconds = release.floodWait().toSeconds();
        getContext().getLog().warn("[{}] flood wait of [{}] s on [{}]: pausing requests for [{}] ms",
            account, floodSeconds, release.method(), pause.toMillis());
      }
      slowDownOnce(grant, now, AdaptiveRate.Signal.FLOOD_WAIT);
    } else if (release.latency().compareTo(SLOW_ANSWER) >= 0) {
      slowDownOnce(grant, now, AdaptiveRate.Signal.SLOW_ANSWER);
    }
    return grantWhatFits();
  }

  /** Requests granted before the last slow-down report the same flood; only the first one counts. */
  private void slowDownOnce(Grant grant, long now, AdaptiveRate.Signal signal) {
    if (grant != null && grant.grantedAt() > lastFloodAt) {
      rate.onFlood(now, signal);
      lastFloodAt = now;
      getContext().getLog().info("[{}] request rate lowered to [{}]/s", account, rate.current());
    }
  }

  private Behavior<Command> onChatSeen(ChatSeen seen) {
    chat(seen.chatId()).tell(
        new ChatSync.Describe(seen.title(), seen.kind(), seen.memberCount(), seen.upgradedToChatId(),
            seen.lastMessageId()));
    return this;
  }

  private Behavior<Command> onToChat(ToChat message) {
    ActorRef<ChatSync.Command> chat = chats.get(message.chatId());
    if (chat != null) {
      chat.tell(message.command());
    }
    return this;
  }

  private Behavior<Command> onToAllChats(ToAllChats message) {
    chats.values().forEach(chat -> chat.tell(message.command()));
    return this;
  }

  private Behavior<Command> onChatRecovered(ChatRecovered recovered) {
    ActorRef<ChatSync.Command> chat = chats.get(recovered.chatId());
    if (started && chat != null) {
      chat.tell(ChatSync.Start.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onStart() {
    if (!started) {
      started = true;
      awaitingFirstWord.addAll(chats.keySet());
      chats.values().forEach(chat -> chat.tell(ChatSync.Start.INSTANCE));
      if (awaitingFirstWord.isEmpty()) {
        openGate();
      } else {
        timers.startSingleTimer("gate", Start.INSTANCE, GATE_TIMEOUT);
      }
    } else if (!gateOpen) {
      getContext().getLog().warn("[{}] [{}] chats did not report in time; history may start before their catch-up",
          account, awaitingFirstWord.size());
      openGate();
    }
    return grantWhatFits();
  }

  private void openGate() {
    gateOpen = true;
    awaitingFirstWord.clear();
    timers.cancel("gate");
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

  /** Grants as many waiting requests as the limits allow now, and wakes up when the next one can go. */
  private Behavior<Command> grantWhatFits() {
    long now = System.nanoTime();
    rate.maybeRaise(now);
    Duration untilFloodEnds = Duration.between(Instant.now(), floodUntil);
    if (!untilFloodEnds.isNegative() && !untilFloodEnds.isZero()) {
      timers.startSingleTimer("tick", Tick.INSTANCE, untilFloodEnds);
      return this;
    }
    long wakeUpIn = Long.MAX_VALUE;
    while (inFlight.size() < settings.maxConcurrentJobs()) {
      long globalWait = globalWindow.waitNanos(now, rate.current());
      if (globalWait > 0) {
        wakeUpIn = globalWait;
        break;
      }
      long[] chatWait = {Long.MAX_VALUE};
      Waiting next = nextAllowed(now, chatWait);
      if (next == null) {
        wakeUpIn = chatWait[0];
        break;
      }
      grant(next, now);
    }
    if (wakeUpIn != Long.MAX_VALUE) {
      timers.startSingleTimer("tick", Tick.INSTANCE, Duration.ofNanos(wakeUpIn));
    }
    return this;
  }

  /** The first waiting request, by tier then FIFO, whose chat is under its own rate. */
  private Waiting nextAllowed(long now, long[] shortestChatWait) {
    for (Priority priority : Priority.values()) {
      if (!gateOpen && started && priority != Priority.P0) {
        return null;
      }
      Iterator<Waiting> waiting = queue.get(priority).iterator();
      while (waiting.hasNext()) {
        Waiting candidate = waiting.next();
        long chatWait = candidate.chatId() == 0
            ? 0
            : chatWindows.computeIfAbsent(candidate.chatId(), id -> new RateWindow())
                .waitNanos(now, settings.rateLimits().perChatRps());
        if (chatWait == 0) {
          waiting.remove();
          return candidate;
        }
        shortestChatWait[0] = Math.min(shortestChatWait[0], chatWait);
      }
    }
    return null;
  }

  private void grant(Waiting waiting, long now) {
    long grantId = nextGrantId++;
    inFlight.put(grantId, new Grant(waiting.chatId(), waiting.method(), now));
    globalWindow.record(now, rate.current());
    if (waiting.chatId() != 0) {
      chatWindows.get(waiting.chatId()).record(now, settings.rateLimits().perChatRps());
    }
    waiting.replyTo().tell(new TokenGranted(grantId));
  }

  private Behavior<Command> onPublish() {
    long now = System.nanoTime();
    chatWindows.values().removeIf(window -> window.isEmpty(now));
    boolean flooding = Instant.now().isBefore(floodUntil);
    List<Long> queued = new ArrayList<>();
    queue.values().forEach(tier -> tier.forEach(waiting -> queued.add(waiting.chatId())));
    status.tell(new Status.RatesUpdated(new Status.Rates(
        globalWindow.lastSecond(now),
        rate.current(),
        rate.configured(),
        inFlight.size(),
        flooding ? floodUntil : null,
        flooding ? floodCause : null,
        flooding ? floodSeconds : 0,
        queued)));
    return grantWhatFits();
  }
}
