package dev.tg.archive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The archive for actors: every write runs on the dedicated blocking dispatcher and answers a stage. */
public final class Archive implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Archive.class);

  private final ArchiveStore store;
  private final Executor blocking;
  private final Map<String, SyncStateRow> pendingSyncStates = new LinkedHashMap<>();
  private final Map<String, String> pendingAccounts = new LinkedHashMap<>();

  public Archive(ArchiveStore store, Executor blocking) {
    this.store = store;
    this.blocking = blocking;
  }

  public <T> CompletionStage<T> write(Function<ArchiveStore, T> work) {
    return CompletableFuture.supplyAsync(() -> work.apply(store), blocking);
  }

  /** A write nobody waits for (read models, job rows); a failure is logged. */
  public void run(Consumer<ArchiveStore> work) {
    CompletableFuture.runAsync(() -> work.accept(store), blocking).exceptionally(failure -> {
      log.error("archive write failed", failure);
      return null;
    });
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
