package dev.tg.archive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The archive for actors: every write runs on the dedicated blocking dispatcher and answers a stage. */
public final class Archive implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Archive.class);

  // writes queued while a group is being written go out together as the next group
  private static final int MAX_GROUP = 64;

  private record Pending<T>(Function<ArchiveStore, T> work, CompletableFuture<T> result) {}

  private final ArchiveStore store;
  private final Executor blocking;
  private final Queue<Pending<?>> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Map<String, SyncStateRow> pendingSyncStates = new LinkedHashMap<>();
  private final Map<String, String> pendingAccounts = new LinkedHashMap<>();

  public Archive(ArchiveStore store, Executor blocking) {
    this.store = store;
    this.blocking = blocking;
  }

  /** A write, answered once it is durable: group-committed with the writes queued beside it. */
  public <T> CompletionStage<T> write(Function<ArchiveStore, T> work) {
    Pending<T> write = new Pending<>(work, new CompletableFuture<>());
    pending.add(write);
    if (draining.compareAndSet(false, true)) {
      blocking.execute(this::drain);
    }
    return write.result();
  }

  /** A write nobody waits for (read models, job rows); a failure is logged. */
  public void run(Consumer<ArchiveStore> work) {
    write(store -> {
      work.accept(store);
      return null;
    }).exceptionally(failure -> {
      log.error("archive write failed", failure);
      return null;
    });
  }

  private void drain() {
    while (true) {
      List<Pending<?>> group = new ArrayList<>();
      for (Pending<?> next = pending.poll(); next != null; next = group.size() < MAX_GROUP ? pending.poll() : null) {
        group.add(next);
      }
      if (group.isEmpty()) {
        draining.set(false);
        // a write queued after the poll but before the flag was cleared must not wait for the next one
        if (pending.isEmpty() || !draining.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      writeGroup(group);
    }
  }

  @SuppressWarnings("unchecked")
  private void writeGroup(List<Pending<?>> group) {
    try {
      List<ArchiveStore.Outcome> outcomes = store.runGrouped(group.stream()
          .<Function<ArchiveStore, ?>>map(Pending::work).toList());
      for (int i = 0; i < group.size(); i++) {
        Pending<Object> write = (Pending<Object>) group.get(i);
        ArchiveStore.Outcome outcome = outcomes.get(i);
        if (outcome.failure() == null) {
          write.result().complete(outcome.value());
        } else {
          write.result().completeExceptionally(outcome.failure());
        }
      }
    } catch (RuntimeException e) {
      group.forEach(write -> write.result().completeExceptionally(e));
    }
  }

  /**
   * Queues a {@code chat_sync_state} row; rows queued while the writer is busy go out together in one
   * transaction, and only the newest row of a chat is written.
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

  @Override
  public void close() {
    CompletableFuture.runAsync(store::close, blocking).join();
  }
}
