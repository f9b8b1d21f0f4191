package dev.tg.chat;

import dev.tg.archive.MessageChange;
import dev.tg.scheduler.Priority;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What a chat actor may lose: the work in progress, the forward {@link Frontier} and the live writes in flight.
 * Rebuilt on every recovery (a restart counts as a possible gap, so the chat catches up first); replaced whole,
 * either in a step that persists nothing or after the step's event is persisted.
 *
 * @param incarnation tells this recovery's answers and writes from those of an earlier one, which are ignored
 * @param started the account let the chat work (its chat list is loaded)
 * @param opened the chat was opened in TDLib, so that a supergroup or channel sends all its updates
 * @param resweepDue the recent messages are to be read again for edits and deletions the node did not see
 * @param estimateDue the chat's size is still to be estimated (once per incarnation; never waited for)
 */
record ChatRuntime(
    long incarnation,
    boolean started,
    boolean opened,
    Phase phase,
    Frontier frontier,
    LiveWrites live,
    boolean resweepDue,
    boolean estimateDue,
    int errors,
    String lastError) {

  static ChatRuntime recovered(long incarnation, long forwardCursor, boolean resweepDue, boolean estimateDue) {
    return new ChatRuntime(incarnation, false, false, Phase.IDLE, Frontier.recovered(forwardCursor),
        LiveWrites.NONE, resweepDue, estimateDue, 0, null);
  }

  ChatRuntime asStarted() {
    return new ChatRuntime(incarnation, true, opened, phase, frontier, live, resweepDue, estimateDue, errors,
        lastError);
  }

  ChatRuntime asOpened() {
    return new ChatRuntime(incarnation, started, true, phase, frontier, live, resweepDue, estimateDue, errors,
        lastError);
  }

  ChatRuntime with(Phase next) {
    return new ChatRuntime(incarnation, started, opened, next, frontier, live, resweepDue, estimateDue, errors,
        lastError);
  }

  ChatRuntime with(Frontier next) {
    return new ChatRuntime(incarnation, started, opened, phase, next, live, resweepDue, estimateDue, errors,
        lastError);
  }

  ChatRuntime with(LiveWrites next) {
    return new ChatRuntime(incarnation, started, opened, phase, frontier, next, resweepDue, estimateDue, errors,
        lastError);
  }

  ChatRuntime resweep(boolean due) {
    return new ChatRuntime(incarnation, started, opened, phase, frontier, live, due, estimateDue, errors, lastError);
  }

  ChatRuntime estimated() {
    return new ChatRuntime(incarnation, started, opened, phase, frontier, live, resweepDue, false, errors,
        lastError);
  }

  ChatRuntime failed(String error) {
    return new ChatRuntime(incarnation, started, opened, phase, frontier, live, resweepDue, estimateDue,
        errors + 1, error);
  }

  /** The chat's jobs; {@code tableName} is how {@code sync_jobs.job_type} names them. */
  enum JobKind {
    INITIAL_LOAD,
    FORWARD_CATCHUP,
    BACKWARD_HISTORY,
    ESTIMATE,
    RESWEEP;

    String tableName() {
      return name().toLowerCase();
    }
  }

  /**
   * One job: its requests go one at a time. {@code boundary} is where a catch-up stops (the cursor when it began),
   * {@code nextFrom} the {@code from_message_id} of its next page (0: the newest), {@code swept} how many messages a
   * re-sweep has read again; {@code row} is its {@code sync_jobs} row.
   */
  record Job(long id, JobKind kind, Priority priority, Instant startedAt, long boundary, long nextFrom, long fetched,
      int failures, int swept, CompletionStage<Long> row) {

    Job paged(long nextPageFrom, long moreFetched, int moreSwept) {
      return new Job(id, kind, priority, startedAt, boundary, nextPageFrom, fetched + moreFetched, 0,
          swept + moreSwept, row);
    }

    Job failedOnce() {
      return new Job(id, kind, priority, startedAt, boundary, nextFrom, fetched, failures + 1, swept, row);
    }
  }

  /** Where a syncing chat's work stands. */
  sealed interface Phase {
    Phase IDLE = new Idle();

    /** Nothing to do, or not started yet. */
    record Idle() implements Phase {}

    /** A request of the job is on its way (waiting for its token, or for TDLib). */
    record Requesting(Job job) implements Phase {}

    /** The job's page is being written to the archive. */
    record Storing(Job job) implements Phase {}

    /** Between two batches of the job, or backing off before a retry. */
    record Waiting(Job job) implements Phase {}

    /** A job failed every retry: the chat waits the longest backoff, then starts over. */
    record CoolingDown() implements Phase {}

    /** TDLib does not know the chat: the job goes on once TDLib is told of it, or announces it. */
    record AwaitingChat(Job job) implements Phase {}

    default Job job() {
      return this instanceof Requesting requesting ? requesting.job()
          : this instanceof Storing storing ? storing.job()
          : this instanceof Waiting waiting ? waiting.job()
          : this instanceof AwaitingChat awaiting ? awaiting.job()
          : null;
    }
  }

  /**
   * Live changes not written yet, in arrival order, with when each was heard; one write in flight at a time keeps
   * that order.
   */
  record LiveWrites(List<MessageChange> queued, List<Long> heardNanos, boolean inFlight) {
    static final LiveWrites NONE = new LiveWrites(List.of(), List.of(), false);

    LiveWrites {
      queued = List.copyOf(queued);
      heardNanos = List.copyOf(heardNanos);
    }

    LiveWrites add(MessageChange change, long heardAt) {
      List<MessageChange> longer = new ArrayList<>(queued);
      longer.add(change);
      List<Long> heard = new ArrayList<>(heardNanos);
      heard.add(heardAt);
      return new LiveWrites(longer, heard, inFlight);
    }

    /** Whether a next batch can go now. */
    boolean ready() {
      return !inFlight && !queued.isEmpty();
    }

    LiveWrites sent() {
      return new LiveWrites(List.of(), List.of(), true);
    }

    LiveWrites written() {
      return new LiveWrites(queued, heardNanos, false);
    }
  }
}
