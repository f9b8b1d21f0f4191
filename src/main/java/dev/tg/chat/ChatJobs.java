package dev.tg.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.archive.ArchiveStore;
import dev.tg.archive.MessageChange;
import dev.tg.archive.SyncStateRow;
import dev.tg.chat.ChatRuntime.Job;
import dev.tg.chat.ChatRuntime.JobKind;
import dev.tg.config.SyncSettings;
import dev.tg.scheduler.Priority;
import dev.tg.status.ChatProgress;
import dev.tg.telegram.TdChat.ChatKind;
import dev.tg.telegram.TdException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat's jobs as plain functions of its state: which job comes next and at what priority, what it asks TDLib,
 * which ids a page covers, where the page takes the job, and what ends it. The actor only decides when.
 */
final class ChatJobs {
  private static final Logger log = LoggerFactory.getLogger(ChatJobs.class);
  private static final AtomicLong JOB_IDS = new AtomicLong();

  private final long chatId;
  private final SyncSettings settings;

  ChatJobs(long chatId, SyncSettings settings) {
    this.chatId = chatId;
    this.settings = settings;
  }

  ChatPolicy policy(ChatState state, ChatSync.Describe describe) {
    int memberCount = describe.memberCount() >= 0 || !state.described()
        ? Math.max(0, describe.memberCount())
        : state.policy().memberCount();
    return ChatPolicy.decide(describe.kind(), memberCount, state.requested(), settings.priorities());
  }

  ChatPolicy requestedPolicy(ChatState state) {
    return ChatPolicy.decide(state.policy().kind(), state.policy().memberCount(), true, settings.priorities());
  }

  /** Supergroups and channels deliver all their updates only while TDLib has them open. */
  boolean needsOpening(ChatState state) {
    return state.policy().kind() == ChatKind.SUPERGROUP || state.policy().kind() == ChatKind.CHANNEL;
  }

  /** The chat's next job: its first page, a catch-up, a re-sweep, an estimate, its history; null when done. */
  JobKind next(ChatState state, ChatRuntime runtime) {
    if (!state.initialized()) {
      return JobKind.INITIAL_LOAD;
    }
    if (runtime.frontier().needsCatchUp()) {
      return JobKind.FORWARD_CATCHUP;
    }
    if (runtime.resweepDue() && settings.resweep().window() > 0 && state.forwardCursor() != 0) {
      return JobKind.RESWEEP;
    }
    if (state.historyComplete()) {
      return null;
    }
    return runtime.estimateDue() ? JobKind.ESTIMATE : JobKind.BACKWARD_HISTORY;
  }

  /**
   * Catch-up is real time; every chat's first messages come before anyone's deep history (a medium group loads
   * its last messages at P1), then the chat's work runs at its tier.
   */
  Priority priority(JobKind kind, ChatState state) {
    if (kind == JobKind.FORWARD_CATCHUP) {
      return Priority.P0;
    }
    Priority tier = state.policy().priority();
    if (kind == JobKind.RESWEEP) {
      // after a restart every recently active chat re-sweeps: that waits behind everyone's history
      return tier == Priority.P4 ? tier : Priority.P3;
    }
    boolean firstMessages = kind == JobKind.INITIAL_LOAD
        || state.archived() < settings.priorities().mediumInitialLoad();
    return firstMessages && tier.compareTo(Priority.P1) > 0 && tier != Priority.P4 ? Priority.P1 : tier;
  }

  Job start(JobKind kind, ChatState state, CompletionStage<Long> row) {
    long boundary = kind == JobKind.FORWARD_CATCHUP ? state.forwardCursor() : 0;
    return new Job(JOB_IDS.incrementAndGet(), kind, priority(kind, state), Instant.now(), boundary, 0, 0, 0, 0, row);
  }

  ObjectNode request(Job job, ChatState state) {
    return switch (job.kind()) {
      case INITIAL_LOAD -> ChatRequests.history(chatId, 0, state.policy().priority() == Priority.P2
          ? settings.priorities().mediumInitialLoad()
          : settings.historyBatchSize());
      case FORWARD_CATCHUP, RESWEEP -> ChatRequests.history(chatId, job.nextFrom(), settings.historyBatchSize());
      case BACKWARD_HISTORY -> ChatRequests.history(chatId, state.backwardCursor(), settings.historyBatchSize());
      case ESTIMATE -> ChatRequests.estimate(chatId);
    };
  }

  /** Whether this page is the first of a job that reads down from the newest message to the cursor. */
  boolean opensForward(Job job) {
    return job.kind() == JobKind.INITIAL_LOAD || (job.kind() == JobKind.FORWARD_CATCHUP && job.nextFrom() == 0);
  }

  /** The history is empty from here down: completed, and for a first load the frontier's reach too. */
  List<ChatSync.Event> historyEnds(ChatState state, Frontier frontier, long archived) {
    Instant now = Instant.now();
    List<ChatSync.Event> events = new ArrayList<>(List.of(new ChatSync.HistoryCompleted(archived, now)));
    long reach = frontier.advanceTarget();
    if (!state.initialized() && reach > state.forwardCursor()) {
      events.add(new ChatSync.ForwardAdvanced(reach, archived, now));
    }
    return events;
  }

  /** Stores a page (a re-sweep reconciles it); answers the chat's archived total. */
  interface Write {
    long run(ArchiveStore store, String account);
  }

  /** Where the page goes in the archive, with the range of ids it shows completely. */
  Write write(Job job, HistoryPage page, ChatState state) {
    return switch (job.kind()) {
      case INITIAL_LOAD -> (store, account) -> store.storePage(account, chatId, page.messages(), page.oldest(),
          Math.max(page.oldest(), page.newest())).archivedTotal();
      case FORWARD_CATCHUP -> {
        long from = Math.max(job.boundary() + 1, page.oldest());
        long to = job.nextFrom() == 0 ? Math.max(from, page.newest()) : job.nextFrom() - 1;
        yield (store, account) -> store.storePage(account, chatId, page.newerThan(job.boundary()), from, to)
            .archivedTotal();
      }
      case BACKWARD_HISTORY -> (store, account) -> store.storePage(account, chatId, page.messages(), page.oldest(),
          state.backwardCursor() - 1).archivedTotal();
      case RESWEEP -> {
        long from = Math.max(page.oldest(), state.backwardCursor());
        long to = Math.min(job.nextFrom() == 0 ? page.newest() : job.nextFrom() - 1, state.forwardCursor());
        yield (store, account) -> {
          ArchiveStore.Reconciled found = store.reconcile(account, chatId, page.messages(), from, to);
          if (found.edited() + found.deleted() > 0) {
            log.info("[{}] re-sweep found [{}] edits and [{}] deletions the node had missed", chatId,
                found.edited(), found.deleted());
          }
          return found.archivedTotal();
        };
      }
      case ESTIMATE -> throw new IllegalArgumentException("an estimate has no page");
    };
  }

  /** The job after a stored page: its next page starts below this one. */
  Job afterPage(Job job, HistoryPage page) {
    int stored = job.kind() == JobKind.FORWARD_CATCHUP ? page.newerThan(job.boundary()).size() : page.messages().size();
    return job.paged(page.oldest(), stored, job.kind() == JobKind.RESWEEP ? page.messages().size() : 0);
  }

  boolean reachedBoundary(Job job, HistoryPage page) {
    return page.isEnd() || page.oldest() <= job.boundary();
  }

  boolean sweepsOn(Job job, HistoryPage page, ChatState state) {
    return job.swept() < settings.resweep().window() && !page.isEnd() && page.oldest() > state.backwardCursor();
  }

  /** Backward history goes on as one job while it is still the chat's next job at the same priority. */
  boolean continues(Job job, ChatState state, ChatRuntime runtime) {
    return job.kind() == JobKind.BACKWARD_HISTORY && next(state, runtime) == JobKind.BACKWARD_HISTORY
        && priority(JobKind.BACKWARD_HISTORY, state) == job.priority();
  }

  /** What a failure that retrying cannot mend means for the chat; null when it is worth another try. */
  ChatSync.Event endingFor(Throwable error, Job job) {
    Instant now = Instant.now();
    if (error instanceof TdException.NoAccess) {
      return new ChatSync.ChatInaccessible(error.getMessage(), now);
    }
    if (error instanceof TdException.InvalidCursor && job.kind() == JobKind.BACKWARD_HISTORY) {
      return new ChatSync.BackwardCursorReset(error.getMessage(), now);
    }
    return null;
  }

  /** Exponential from the minimum, capped, with half of it random so that chats do not retry in step. */
  Duration backoff(int failures) {
    long min = Math.max(1, settings.rateLimits().retryBackoffMin().toMillis());
    long max = settings.rateLimits().retryBackoffMax().toMillis();
    long exponential = Math.min(max, min << Math.min(failures - 1, 20));
    return Duration.ofMillis(exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1));
  }

  /** A chat that had traffic lately may have had edits and deletions while the node was down. */
  boolean resweepDueAfterRestart(ChatState state) {
    Instant recent = Instant.now().minus(settings.resweep().activeWithin());
    return settings.resweep().window() > 0 && state.initialized() && state.lastForwardSync() != null
        && state.lastForwardSync().isAfter(recent);
  }

  /** The change without what is not history: messages being sent, local or scheduled ones; null if nothing is left. */
  static MessageChange serverOnly(MessageChange change) {
    if (change instanceof MessageChange.Added added) {
      return HistoryPage.isServerMessage(added.message().id()) ? change : null;
    }
    if (change instanceof MessageChange.Deleted deleted) {
      List<Long> server = deleted.messageIds().stream().filter(HistoryPage::isServerMessage).toList();
      return server.isEmpty() ? null : new MessageChange.Deleted(server);
    }
    if (change instanceof MessageChange.Edited edited) {
      return HistoryPage.isServerMessage(edited.messageId()) ? change : null;
    }
    MessageChange.ContentUpdated updated = (MessageChange.ContentUpdated) change;
    return HistoryPage.isServerMessage(updated.messageId()) ? change : null;
  }

  static List<Long> addedIds(List<MessageChange> batch) {
    return batch.stream()
        .filter(MessageChange.Added.class::isInstance)
        .map(change -> ((MessageChange.Added) change).message().id())
        .toList();
  }

  static SyncStateRow syncStateRow(long chatId, ChatState state) {
    return new SyncStateRow(chatId, state.policy().kind().tableName(), state.title(), state.policy().memberCount(),
        state.forwardCursor(), state.backwardCursor(), state.policy().priority().ordinal(), state.policy().enabled(),
        state.historyComplete(), state.access().name().toLowerCase(), state.knownTotal(), state.archived(),
        state.lastForwardSync(), state.lastBackwardSync());
  }

  static ChatProgress progress(long chatId, ChatState state, ChatRuntime runtime, long archivedNow) {
    ChatPolicy policy = state.policy();
    Job job = runtime.phase().job();
    ChatProgress.JobInfo jobInfo = job == null ? null
        : new ChatProgress.JobInfo(job.kind().tableName(), job.priority(), job.startedAt(), job.fetched());
    return new ChatProgress(chatId, state.title(), policy == null ? "" : policy.kind().tableName(),
        policy == null ? 0 : policy.memberCount(), policy == null ? null : policy.priority(),
        policy != null && policy.enabled(), state.access().name().toLowerCase(), state.forwardCursor(),
        state.backwardCursor(), state.historyComplete(), Math.max(archivedNow, state.archived()), state.knownTotal(),
        jobInfo, runtime.errors(), runtime.lastError(), Instant.now());
  }
}
