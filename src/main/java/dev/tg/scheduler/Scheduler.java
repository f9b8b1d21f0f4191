package dev.tg.scheduler;

import dev.tg.JsonSerializable;
import dev.tg.config.SyncSettings;
import dev.tg.metrics.NodeMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The account's request budget: grants tokens in priority order (P0 first, FIFO within a tier) under the global and
 * per-chat rates and the concurrency limit, grants nothing during a flood wait, and nothing below P0 while history
 * is held back or a request seems to be sitting out a flood wait in TDLib. It grants tokens and nothing else.
 */
public final class Scheduler extends AbstractBehavior<Scheduler.Command> {

  public interface Command extends JsonSerializable {}

  public record RequestToken(long chatId, Priority priority, String method, ActorRef<TokenGranted> replyTo)
      implements Command {}

  public record TokenGranted(long grantId) implements JsonSerializable {}

  /**
   * A granted request is done; {@code outcome} is {@code ok} or the kind of its failure, {@code floodWait} is
   * non-zero when Telegram answered 429.
   */
  public record ReleaseToken(long grantId, String method, String outcome, Duration latency, Duration floodWait)
      implements Command {}

  /** Only P0 (catch-up) is granted until {@link ReleaseHistory}: the start-up gate. */
  public enum HoldHistory implements Command {
    INSTANCE
  }

  public enum ReleaseHistory implements Command {
    INSTANCE
  }

  /**
   * What the scheduler publishes every second, for status. {@code slowest} is the request in flight the longest,
   * when it has been more than a second: TDLib sits out flood waits of up to a minute before it answers.
   */
  public record Rates(
      int lastSecond,
      double limit,
      double configured,
      int inFlight,
      Instant floodUntil,
      String floodMethod,
      long floodSeconds,
      List<Long> queuedChats,
      SlowRequest slowest)
      implements JsonSerializable {

    public static final Rates NONE = new Rates(0, 0, 0, 0, null, null, 0, List.of(), null);
  }

  public record SlowRequest(String method, long chatId, long seconds) implements JsonSerializable {}

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
  // how long a request still in flight holds back history: past it, the request is more likely lost than sat out
  static final Duration FLOOD_HOLD_LIMIT = Duration.ofSeconds(10);
  private static final Duration PUBLISH_INTERVAL = Duration.ofSeconds(1);

  private final String account;
  private final SyncSettings settings;
  private final Consumer<Rates> publish;
  private final TimerScheduler<Command> timers;
  private final LongSupplier nanoTime;
  private final NodeMetrics metrics;

  private final EnumMap<Priority, ArrayDeque<Waiting>> queue = new EnumMap<>(Priority.class);
  private final Map<Long, Grant> inFlight = new HashMap<>();
  private final RateWindow globalWindow = new RateWindow();
  private final Map<Long, RateWindow> chatWindows = new HashMap<>();
  private final AdaptiveRate rate;
  private boolean holdingHistory;
  private long nextGrantId = 1;
  private long lastFloodAt = Long.MIN_VALUE;
  private Instant floodUntil = Instant.EPOCH;
  private String floodCause;
  private long floodSeconds;

  private Scheduler(ActorContext<Command> context, TimerScheduler<Command> timers, String account,
      SyncSettings settings, Consumer<Rates> publish, LongSupplier nanoTime) {
    super(context);
    this.timers = timers;
    this.account = account;
    this.settings = settings;
    this.publish = publish;
    this.nanoTime = nanoTime;
    this.rate = new AdaptiveRate(settings.rateLimits().globalRps(), nanoTime.getAsLong());
    this.metrics = NodeMetrics.get(context.getSystem());
    for (Priority priority : Priority.values()) {
      queue.put(priority, new ArrayDeque<>());
    }
    timers.startTimerWithFixedDelay(Publish.INSTANCE, PUBLISH_INTERVAL);
    context.getSelf().tell(Publish.INSTANCE);
  }

  /** The scheduler of one account; {@code publish} receives its rates every second. */
  public static Behavior<Command> create(String account, SyncSettings settings, Consumer<Rates> publish) {
    return create(account, settings, publish, System::nanoTime);
  }

  /** With the clock that ages requests and rate windows, e.g. one a test moves by hand. */
  static Behavior<Command> create(String account, SyncSettings settings, Consumer<Rates> publish,
      LongSupplier nanoTime) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new Scheduler(context, timers, account, settings, publish, nanoTime)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(RequestToken.class, this::onRequestToken)
        .onMessage(ReleaseToken.class, this::onReleaseToken)
        .onMessageEquals(HoldHistory.INSTANCE, () -> {
          holdingHistory = true;
          return this;
        })
        .onMessageEquals(ReleaseHistory.INSTANCE, () -> {
          holdingHistory = false;
          return grantWhatFits();
        })
        .onMessageEquals(Tick.INSTANCE, this::grantWhatFits)
        .onMessageEquals(Publish.INSTANCE, this::onPublish)
        .build();
  }

  private Behavior<Command> onRequestToken(RequestToken request) {
    queue.get(request.priority())
        .addLast(new Waiting(request.chatId(), request.priority(), request.method(), request.replyTo()));
    return grantWhatFits();
  }

  private Behavior<Command> onReleaseToken(ReleaseToken release) {
    Grant grant = inFlight.remove(release.grantId());
    metrics.requestDone(account, release.method(), release.outcome(), release.floodWait());
    long now = nanoTime.getAsLong();
    if (!release.floodWait().isZero()) {
      Duration pause = Duration.ofMillis(
          (long) (release.floodWait().toMillis() * settings.rateLimits().floodWaitMultiplier()));
      if (pauseUntil(Instant.now().plus(pause), release.method(), release.floodWait())) {
        getContext().getLog().warn("[{}] flood wait of [{}] s on [{}]: pausing requests for [{}] ms",
            account, floodSeconds, release.method(), pause.toMillis());
      }
      slowDownOnce(grant, now, AdaptiveRate.Signal.FLOOD_WAIT);
    } else if (release.latency().compareTo(SLOW_ANSWER) >= 0) {
      // TDLib resends every request it held when the wait ends (NetQueryDelayer): the next second is theirs
      pauseUntil(Instant.now().plus(SLOW_ANSWER), release.method(), release.latency());
      slowDownOnce(grant, now, AdaptiveRate.Signal.SLOW_ANSWER);
    }
    return grantWhatFits();
  }

  /** Grants nothing until {@code until}, unless an earlier flood already pauses longer; true if it was later. */
  private boolean pauseUntil(Instant until, String method, Duration wait) {
    if (!until.isAfter(floodUntil)) {
      return false;
    }
    floodUntil = until;
    floodCause = method;
    floodSeconds = wait.toSeconds();
    return true;
  }

  /** Requests granted before the last slow-down report the same flood; only the first one counts. */
  private void slowDownOnce(Grant grant, long now, AdaptiveRate.Signal signal) {
    if (grant != null && grant.grantedAt() > lastFloodAt) {
      rate.onFlood(now, signal);
      lastFloodAt = now;
      getContext().getLog().info("[{}] request rate lowered to [{}]/s", account, rate.current());
    }
  }

  /** Grants as many waiting requests as the limits allow now, and wakes up when the next one can go. */
  private Behavior<Command> grantWhatFits() {
    long now = nanoTime.getAsLong();
    rate.maybeRaise(now);
    Duration untilFloodEnds = Duration.between(Instant.now(), floodUntil);
    if (!untilFloodEnds.isNegative() && !untilFloodEnds.isZero()) {
      timers.startSingleTimer("tick", Tick.INSTANCE, untilFloodEnds);
      return this;
    }
    long heldFor = sittingOutFor(now);
    long wakeUpIn = heldFor > 0 ? heldFor : Long.MAX_VALUE;
    while (inFlight.size() < settings.maxConcurrentJobs()) {
      long globalWait = globalWindow.waitNanos(now, rate.current());
      if (globalWait > 0) {
        wakeUpIn = Math.min(wakeUpIn, globalWait);
        break;
      }
      long[] chatWait = {Long.MAX_VALUE};
      Waiting next = nextAllowed(now, chatWait, heldFor > 0);
      if (next == null) {
        wakeUpIn = Math.min(wakeUpIn, chatWait[0]);
        break;
      }
      grant(next, now);
    }
    if (wakeUpIn != Long.MAX_VALUE) {
      timers.startSingleTimer("tick", Tick.INSTANCE, Duration.ofNanos(wakeUpIn));
    }
    return this;
  }

  /**
   * How much longer history is held back because a request has been in flight for more than a second: most likely
   * TDLib is sitting out a flood wait (NetQueryDelayer::delay), and every request sent meanwhile meets the same
   * wait. 0 when nothing is held.
   */
  private long sittingOutFor(long now) {
    long oldest = inFlight.values().stream().mapToLong(Grant::grantedAt).min().orElse(now);
    long age = now - oldest;
    return age >= SLOW_ANSWER.toNanos() && age < FLOOD_HOLD_LIMIT.toNanos() ? FLOOD_HOLD_LIMIT.toNanos() - age : 0;
  }

  /** The first waiting request, by tier then FIFO, whose chat is under its own rate; only P0 while history waits. */
  private Waiting nextAllowed(long now, long[] shortestChatWait, boolean sittingOutFlood) {
    for (Priority priority : Priority.values()) {
      if ((holdingHistory || sittingOutFlood) && priority != Priority.P0) {
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

  private SlowRequest slowest(long now) {
    return inFlight.values().stream()
        .filter(grant -> now - grant.grantedAt() >= SLOW_ANSWER.toNanos())
        .min((a, b) -> Long.compare(a.grantedAt(), b.grantedAt()))
        .map(grant -> new SlowRequest(grant.method(), grant.chatId(),
            Duration.ofNanos(now - grant.grantedAt()).toSeconds()))
        .orElse(null);
  }

  private Behavior<Command> onPublish() {
    long now = nanoTime.getAsLong();
    chatWindows.values().removeIf(window -> window.isEmpty(now));
    boolean flooding = Instant.now().isBefore(floodUntil);
    List<Long> queued = new ArrayList<>();
    queue.values().forEach(tier -> tier.forEach(waiting -> queued.add(waiting.chatId())));
    Map<String, Integer> depths = new HashMap<>();
    queue.forEach((tier, waiting) -> depths.put(tier.name(), waiting.size()));
    metrics.scheduler(account, rate.current(), rate.ceiling(), rate.configured(), inFlight.size(), depths);
    publish.accept(new Rates(
        globalWindow.lastSecond(now),
        rate.current(),
        rate.configured(),
        inFlight.size(),
        flooding ? floodUntil : null,
        flooding ? floodCause : null,
        flooding ? floodSeconds : 0,
        queued,
        slowest(now)));
    return grantWhatFits();
  }
}
