package dev.tg.archive;

import dev.tg.metrics.NodeMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive for actors: writes run on the dedicated blocking dispatcher, group-committed (one sync to disk for
 * every write queued meanwhile), and each answers a stage once it is durable. Real-time writes have a lane of
 * their own that goes first, so a live message never waits behind more than one history batch; the small writes
 * nobody waits for (read models, job rows) join whichever group goes next instead of costing a sync of their own.
 */
public final class Archive implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Archive.class);
  // history batches per group: a live message waits behind at most one of them
  private static final int MAX_BACKGROUND_PER_GROUP = 1;

  private record Pending<T>(Function<ArchiveStore, T> work, CompletableFuture<T> result) {}

  private final ArchiveStore store;
  private final Executor blocking;
  private final Storage storage = new Storage();
  private final RepeatedErrors failures = new RepeatedErrors(log);
  private final NodeMetrics metrics;
  private final Queue<Pending<?>> realTime = new ConcurrentLinkedQueue<>();
  private final Queue<Pending<?>> background = new ConcurrentLinkedQueue<>();
  private final Queue<Pending<?>> readModels = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Map<String, SyncStateRow> pendingSyncStates = new LinkedHashMap<>();
  private final Map<String, String> pendingAccounts = new LinkedHashMap<>();
  private boolean closed;

  public Archive(ArchiveStore store, Executor blocking, NodeMetrics metrics) {
    this.store = store;
    this.blocking = blocking;
    this.metrics = metrics;
  }

  /** An archive outside a node: its batches are counted in metrics nobody scrapes. */
  public Archive(ArchiveStore store, Executor blocking) {
    this(store, blocking, new NodeMetrics());
  }

  /** Whether writes can be stored now; a write that fails for want of room tells it. */
  public Storage storage() {
    return storage;
  }

  /**
   * Measures the room left: the least usable space of the filesystems holding {@code dirs} (the data directory,
   * TDLib's files), and inside the archive's own page limit; answers the storage's condition afterwards.
   */
  public CompletionStage<Storage.Condition> measureRoom(List<Path> dirs, long minFreeBytes) {
    return write(writer -> {
      long least = writer.roomLeft();
      String where = writer.location().describe() + " (its page limit)";
      for (Path dir : dirs) {
        try {
          long usable = Files.getFileStore(dir).getUsableSpace();
          if (usable < least) {
            least = usable;
            where = dir.toString();
          }
        } catch (IOException e) {
          log.debug("cannot measure the free space of [{}]: {}", dir, e.getMessage());
        }
      }
      storage.measured(least, minFreeBytes, where);
      return storage.condition();
    });
  }

  /** Completes once every write queued before it has been written (or has failed). */
  public CompletionStage<Void> written() {
    return write(store -> null);
  }

  /** A write, answered once it is durable. */
  public <T> CompletionStage<T> write(Function<ArchiveStore, T> work) {
    return enqueue(background, work);
  }

  /** A real-time write (live messages, edits, deletions): ahead of every history batch. */
  public <T> CompletionStage<T> writeNow(Function<ArchiveStore, T> work) {
    return enqueue(realTime, work);
  }

  /** A write nobody waits for (read models, job rows), in the next group; a failure is logged. */
  public void run(Consumer<ArchiveStore> work) {
    enqueue(readModels, store -> {
      work.accept(store);
      return null;
    }).exceptionally(failure -> {
      // a storage failure is the storage's condition, logged once there
      if (!Storage.isStorageFailure(failure)) {
        failures.error("archive write failed: " + Storage.describe(failure), failure);
      }
      return null;
    });
  }

  private <T> CompletionStage<T> enqueue(Queue<Pending<?>> lane, Function<ArchiveStore, T> work) {
    Pending<T> write = new Pending<>(work, new CompletableFuture<>());
    lane.add(write);
    if (draining.compareAndSet(false, true)) {
      blocking.execute(this::drain);
    }
    return write.result();
  }

  private void drain() {
    while (true) {
      List<Pending<?>> group = nextGroup();
      if (group.isEmpty()) {
        draining.set(false);
        // a write queued after the polls but before the flag was cleared must not wait for the next one
        if (realTime.isEmpty() && background.isEmpty() && readModels.isEmpty()
            || !draining.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      writeGroup(group);
    }
  }

  /** Every real-time write waiting, then background ones up to a group's share, then every read-model write. */
  private List<Pending<?>> nextGroup() {
    List<Pending<?>> group = new ArrayList<>();
    for (Pending<?> next = realTime.poll(); next != null; next = realTime.poll()) {
      group.add(next);
    }
    for (int i = 0; i < MAX_BACKGROUND_PER_GROUP; i++) {
      Pending<?> next = background.poll();
      if (next == null) {
        break;
      }
      group.add(next);
    }
    for (Pending<?> next = readModels.poll(); next != null; next = readModels.poll()) {
      group.add(next);
    }
    return group;
  }

  @SuppressWarnings("unchecked")
  private synchronized void writeGroup(List<Pending<?>> group) {
    if (closed) {
      group.forEach(write -> write.result().completeExceptionally(new ArchiveException("archive closed", null)));
      return;
    }
    try {
      long started = System.nanoTime();
      List<ArchiveStore.Outcome> outcomes = store.runGrouped(group.stream()
          .<Function<ArchiveStore, ?>>map(Pending::work).toList());
      metrics.archiveBatch(group.size(), System.nanoTime() - started);
      for (int i = 0; i < group.size(); i++) {
        Pending<Object> write = (Pending<Object>) group.get(i);
        ArchiveStore.Outcome outcome = outcomes.get(i);
        if (outcome.failure() == null) {
          write.result().complete(outcome.value());
        } else {
          write.result().completeExceptionally(outcome.failure());
        }
      }
    } catch (RuntimeException | Error e) {
      // before the writers hear of it, so that a chat that asks next finds the storage paused
      storage.failed(store.location().describe(), e);
      // an Error too: the writer must never stop answering, or every later write would wait forever
      group.forEach(write -> write.result().completeExceptionally(e));
    }
  }

  /**
   * Queues a {@code chat_sync_state} row; rows queued while the writer is busy go out together, and only the
   * newest row of a chat is written.
   */
  public void saveSyncStateLater(String account, SyncStateRow row) {
    boolean flushQueued;
    synchronized (pendingSyncStates) {
      flushQueued = !pendingSyncStates.isEmpty();
      String key = account + "|" + row.chatId();
      pendingSyncStates.put(key, row);
      pendingAccounts.put(key, account);
    }
    if (!flushQueued) {
      run(this::flushSyncStates);
    }
  }

  private void flushSyncStates(ArchiveStore writer) {
    List<String> accounts;
    List<SyncStateRow> rows;
    synchronized (pendingSyncStates) {
      accounts = new ArrayList<>(pendingAccounts.values());
      rows = new ArrayList<>(pendingSyncStates.values());
      pendingSyncStates.clear();
      pendingAccounts.clear();
    }
    writer.saveSyncStates(accounts, rows);
  }

  /** Waits for the group being written, writes those queued, then closes; later writes fail. Any thread may call it. */
  @Override
  public synchronized void close() {
    if (!closed) {
      // what the actors queued before they stopped is written, not dropped
      for (List<Pending<?>> rest = nextGroup(); !rest.isEmpty(); rest = nextGroup()) {
        writeGroup(rest);
      }
      closed = true;
      store.close();
    }
  }
}
