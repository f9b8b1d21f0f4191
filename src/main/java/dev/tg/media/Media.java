package dev.tg.media;

import dev.tg.JsonSerializable;
import dev.tg.archive.Archive;
import dev.tg.config.MediaSettings;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.status.Status;
import dev.tg.status.SyncStatus.MediaStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;

/**
 * One account's media downloads. It looks at messages once they are archived (never before), records each file in
 * the {@code media} table as pending or skipped by the policy, and downloads the pending ones in tier order, at most
 * {@code max-concurrent-downloads} at once and within {@code max-bytes-per-second}, apart from the API scheduler's
 * budget. Each download is run by a {@link Download}; a file is marked done only once the store holds it durably.
 */
public final class Media extends AbstractBehavior<Media.Command> {

  public interface Command extends JsonSerializable {}

  /** The account is logged in and its chat lists are loaded: downloads may begin. */
  public enum Start implements Command {
    INSTANCE
  }

  /**
   * {@code tg sync <chat> --media}: every file of the chat is fetched, whatever the policy, those of messages
   * archived later too; answers once the request is stored, an error when media downloads are off.
   */
  public record FetchChat(long chatId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  private record ChatRequested(FetchChat request, Throwable failure) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private enum Fill implements Command {
    INSTANCE
  }

  private record Prepared(long lastMessageRow, Throwable failure) implements Command {}

  private record Scanned(int looked, Throwable failure) implements Command {}

  private record Loaded(List<MediaTable.Pending> pending, Map<String, MediaTable.Count> counts, Throwable failure)
      implements Command {}

  private record Transferred(String uniqueId) implements Command {}

  private record Finished(MediaTable.Pending file, Download.Outcome outcome) implements Command {}

  private enum MarkDone implements Command {
    INSTANCE
  }

  private record MarkedDone(List<Stored> files, Throwable failure) implements Command {}

  /** A file durable in the store, its rows not yet marked done. */
  private record Stored(MediaTable.Pending file, MediaStore.Stored stored) {}

  /** What the media downloads need from the account. */
  public record Setup(String account, MediaSettings settings, ScheduledClient telegram, Archive archive,
      Path mediaDir, ActorRef<Status.Command> status, Executor blocking) {}

  // each scan is one write on the archive's writer, which a live message waits for: 500 messages a scan made the
  // real-time p99 under a full backfill 1.4 s, 100 keeps it with media off's (scripts/bench --only latency)
  private static final int SCAN_BATCH = 100;
  private static final Duration RATE_WINDOW = Duration.ofSeconds(10);
  private static final Duration RETRY_BASE = Duration.ofSeconds(2);
  // files marked done together, so that each does not cost a write of its own ahead of a history batch
  private static final int MARK_DONE_BATCH = 16;
  private static final Duration MARK_DONE_WITHIN = Duration.ofMillis(250);

  private record Completed(long atNanos, long bytes) {}

  private final Setup setup;
  private final MediaPolicy policy;
  private final TimerScheduler<Command> timers;
  private final Download download;
  private final ByteBudget budget;
  // claimed files from their transfer's start to their row's end; transferring counts those whose bytes still come
  private final Map<String, MediaTable.Pending> inFlight = new HashMap<>();
  private int transferring;
  private final Map<String, Long> retryAtNanos = new HashMap<>();
  private final Deque<MediaTable.Pending> queue = new ArrayDeque<>();
  private final Deque<Completed> completed = new ArrayDeque<>();
  private final List<Stored> toMark = new ArrayList<>();
  private boolean marking;
  private Map<String, MediaTable.Count> counts = Map.of();
  private boolean started;
  private long runStart;
  private boolean scanning;
  private boolean loading;
  private boolean loadAgain;

  private Media(ActorContext<Command> context, TimerScheduler<Command> timers, Setup setup) {
    super(context);
    this.setup = setup;
    this.timers = timers;
    this.policy = new MediaPolicy(setup.settings());
    MediaStore store = new MediaStore(setup.mediaDir());
    this.download = new Download(setup.account(), setup.telegram(), setup.archive(), store, setup.blocking());
    this.budget = new ByteBudget(setup.settings().maxBytesPerSecond(), System.nanoTime());
  }

  public static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new Media(context, timers, setup)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Start.INSTANCE, this::onStart)
        .onMessage(FetchChat.class, this::onFetchChat)
        .onMessage(ChatRequested.class, this::onChatRequested)
        .onMessage(Prepared.class, this::onPrepared)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Scanned.class, this::onScanned)
        .onMessage(Loaded.class, this::onLoaded)
        .onMessageEquals(Fill.INSTANCE, () -> {
          fill();
          return this;
        })
        .onMessage(Transferred.class, transferred -> {
          transferring--;
          fill();
          refill();
          return this;
        })
        .onMessage(Finished.class, this::onFinished)
        .onMessageEquals(MarkDone.INSTANCE, () -> {
          markDone();
          return this;
        })
        .onMessage(MarkedDone.class, this::onMarkedDone)
        .build();
  }

  private Behavior<Command> onStart() {
    if (started || !setup.settings().enabled()) {
      return this;
    }
    started = true;
    // downloads that were running when the node stopped start again; partial copies of ours are thrown away
    getContext().pipeToSelf(download.prepare(),
        (lastRow, failure) -> new Prepared(lastRow == null ? 0 : lastRow, failure));
    return this;
  }

  private Behavior<Command> onFetchChat(FetchChat request) {
    if (!setup.settings().enabled()) {
      request.replyTo().tell(StatusReply.error("media downloads are off (tg.media.enabled is false)"));
      return this;
    }
    getContext().pipeToSelf(setup.archive().write(store -> store.onConnection(setup.account(), connection -> {
      MediaTable.ensure(connection);
      return MediaTable.requestChat(connection, setup.account(), request.chatId());
    })), (done, failure) -> new ChatRequested(request, failure));
    return this;
  }

  private Behavior<Command> onChatRequested(ChatRequested requested) {
    if (requested.failure() != null) {
      requested.request().replyTo().tell(StatusReply.error("the request could not be stored: "
          + requested.failure().getMessage()));
      return this;
    }
    requested.request().replyTo().tell(StatusReply.ack());
    // before the account is logged in, the next start's first scan looks at the chat
    return timers.isTimerActive(Tick.INSTANCE) ? onTick() : this;
  }

  private Behavior<Command> onPrepared(Prepared prepared) {
    if (prepared.failure() != null) {
      getContext().getLog().warn("[{}] media downloads cannot start: {}", setup.account(),
          prepared.failure().getMessage());
      started = false;
      return this;
    }
    runStart = prepared.lastMessageRow();
    timers.startTimerWithFixedDelay(Tick.INSTANCE, setup.settings().scanInterval());
    return onTick();
  }

  private Behavior<Command> onTick() {
    if (!scanning) {
      scanning = true;
      getContext().pipeToSelf(setup.archive().write(store -> store.onConnection(setup.account(),
              connection -> MediaTable.scan(connection, setup.account(), policy, SCAN_BATCH))),
          (looked, failure) -> new Scanned(looked == null ? 0 : looked, failure));
    }
    return this;
  }

  private Behavior<Command> onScanned(Scanned scanned) {
    scanning = false;
    if (scanned.failure() != null) {
      getContext().getLog().debug("[{}] media scan failed: {}", setup.account(), scanned.failure().getMessage());
    } else if (scanned.looked() == SCAN_BATCH) {
      onTick();
    }
    refill();
    return this;
  }

  /** Reads the next pending files (and the counts for the status) when there is room for more downloads. */
  private void load() {
    if (loading) {
      loadAgain = true; // a slot came free while the last read was under way
      return;
    }
    loading = true;
    loadAgain = false;
    long now = System.nanoTime();
    retryAtNanos.values().removeIf(at -> at <= now);
    Set<String> busy = new HashSet<>(inFlight.keySet());
    busy.addAll(retryAtNanos.keySet());
    queue.forEach(file -> busy.add(file.uniqueId()));
    // claimed ahead, so that a free slot starts its next file without waiting for the archive
    int room = Math.max(0, 2 * setup.settings().maxConcurrentDownloads() - transferring - queue.size());
    getContext().pipeToSelf(setup.archive().write(store -> store.onConnection(setup.account(), connection -> new Loaded(
            MediaTable.claim(connection, setup.account(), room, busy),
            MediaTable.counts(connection, setup.account()), null))),
        (loaded, failure) -> failure == null ? loaded : new Loaded(List.of(), counts, failure));
  }

  private Behavior<Command> onLoaded(Loaded loaded) {
    loading = false;
    counts = loaded.counts();
    queue.addAll(loaded.pending());
    fill();
    publish();
    if (loadAgain) {
      load();
    }
    return this;
  }

  /** Starts transfers while there is room and the byte budget allows; else waits for the budget to fill. */
  private void fill() {
    while (transferring < setup.settings().maxConcurrentDownloads() && !queue.isEmpty()) {
      MediaTable.Pending next = queue.peekFirst();
      long now = System.nanoTime();
      long wait = budget.waitNanos(now);
      if (wait > 0) {
        timers.startSingleTimer(Fill.INSTANCE, Duration.ofNanos(wait));
        return;
      }
      queue.pollFirst();
      budget.take(next.size(), now);
      inFlight.put(next.uniqueId(), next);
      transferring++;
      Download.Run run = download.run(next, setup.settings().maxAttempts(), runStart);
      getContext().pipeToSelf(run.transferred(), (bytes, failure) -> new Transferred(next.uniqueId()));
      getContext().pipeToSelf(run.finished(),
          (outcome, failure) -> new Finished(next, failure == null ? outcome : Download.Outcome.retry(failure)));
    }
  }

  private Behavior<Command> onFinished(Finished finished) {
    MediaTable.Pending file = finished.file();
    Download.Outcome outcome = finished.outcome();
    if (outcome.stored() != null) {
      // still in flight for its unique id until its rows are done
      toMark.add(new Stored(file, outcome.stored()));
      if (toMark.size() >= MARK_DONE_BATCH) {
        markDone();
      } else if (!timers.isTimerActive(MarkDone.INSTANCE)) {
        timers.startSingleTimer(MarkDone.INSTANCE, MARK_DONE_WITHIN);
      }
    } else {
      inFlight.remove(file.uniqueId());
      getContext().getLog().debug("[{}] file of message [{}] in chat [{}] not downloaded: {}", setup.account(),
          file.messageId(), file.chatId(), outcome.error());
      retryAtNanos.put(file.uniqueId(), System.nanoTime() + (RETRY_BASE.toNanos() << Math.min(file.attempts(), 6)));
    }
    refill();
    return this;
  }

  /** One write marks every stored file's rows done; one batch at a time. */
  private void markDone() {
    if (marking || toMark.isEmpty()) {
      return;
    }
    marking = true;
    List<Stored> batch = List.copyOf(toMark);
    toMark.clear();
    getContext().pipeToSelf(setup.archive().write(store -> store.onConnection(setup.account(), connection -> {
      for (Stored done : batch) {
        MediaTable.markDone(connection, setup.account(), done.file().uniqueId(), done.stored());
      }
      return batch;
    })), (marked, failure) -> new MarkedDone(batch, failure));
  }

  private Behavior<Command> onMarkedDone(MarkedDone marked) {
    marking = false;
    if (marked.failure() != null) {
      // the bytes are durable: only the rows wait, tried again later
      getContext().getLog().warn("[{}] media rows not marked done, trying again: {}", setup.account(),
          marked.failure().getMessage());
      toMark.addAll(marked.files());
      timers.startSingleTimer(MarkDone.INSTANCE, setup.settings().scanInterval());
      return this;
    }
    long now = System.nanoTime();
    for (Stored done : marked.files()) {
      inFlight.remove(done.file().uniqueId());
      completed.addLast(new Completed(now, done.file().size()));
    }
    markDone();
    refill();
    return this;
  }

  /**
   * Claims more files once the queue runs low, not after every file: each claim is a write of the archive's
   * background lane, where every history batch waits behind at most one write.
   */
  private void refill() {
    if (queue.size() < setup.settings().maxConcurrentDownloads()) {
      load();
    }
  }

  private void publish() {
    long now = System.nanoTime();
    while (!completed.isEmpty() && now - completed.peekFirst().atNanos() > RATE_WINDOW.toNanos()) {
      completed.pollFirst();
    }
    long rate = completed.stream().mapToLong(Completed::bytes).sum() / RATE_WINDOW.toSeconds();
    MediaTable.Count pending = count("pending");
    MediaTable.Count downloading = count("downloading");
    long waitingBytes = pending.bytes() + downloading.bytes();
    setup.status().tell(new Status.MediaUpdated(new MediaStatus(pending.files() + downloading.files(),
        waitingBytes, inFlight.size(), count("done").files(), count("done").bytes(), count("failed").files(),
        count("skipped").files(), rate, rate > 0 ? waitingBytes / rate : null)));
  }

  private MediaTable.Count count(String state) {
    return counts.getOrDefault(state, new MediaTable.Count(0, 0));
  }
}
