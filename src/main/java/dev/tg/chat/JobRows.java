package dev.tg.chat;

import dev.tg.archive.Archive;
import dev.tg.chat.ChatRuntime.Job;
import dev.tg.chat.ChatRuntime.JobKind;
import dev.tg.scheduler.Priority;
import java.util.concurrent.CompletionStage;

/** The {@code sync_jobs} rows of a chat's jobs: written when a job starts, ended with its outcome. */
final class JobRows {
  private final String account;
  private final long chatId;
  private final Archive archive;

  JobRows(String account, long chatId, Archive archive) {
    this.account = account;
    this.chatId = chatId;
    this.archive = archive;
  }

  /** The new row's id, once it is written. */
  CompletionStage<Long> started(JobKind kind, Priority priority, ChatState state) {
    return archive.write(store -> store.jobStarted(account, chatId, kind.tableName(), priority.ordinal(),
        state.backwardCursor()));
  }

  /** {@code outcome} is {@code completed} or {@code failed} (with its error). */
  void ended(Job job, ChatState state, String outcome, String error) {
    long cursorEnd = job.kind() == JobKind.FORWARD_CATCHUP ? state.forwardCursor() : state.backwardCursor();
    job.row().thenAccept(rowId -> archive.run(store -> store.jobEnded(account, rowId, outcome, cursorEnd,
        job.fetched(), error)));
  }
}
