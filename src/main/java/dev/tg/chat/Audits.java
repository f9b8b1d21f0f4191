package dev.tg.chat;

import dev.tg.JsonSerializable;
import dev.tg.archive.ArchiveReader;
import dev.tg.scheduler.Priority;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.status.ChatProgress;
import dev.tg.status.Status;
import dev.tg.telegram.TdException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * An account's completeness audits ({@code tg verify}), one chat at a time: the chat's covered range from its
 * progress, the archive's ids in it, then {@code getChatHistory} pages where {@link HoleSearch} suspects a hole,
 * each through the scheduler at P4 (inside the budget, behind the sync's own work) and at most
 * {@code maxRequests} per chat. The last report of each chat is kept until the node stops.
 */
public final class Audits extends AbstractBehavior<Audits.Command> {
  public static final int DEFAULT_MAX_REQUESTS = 200;
  private static final int PAGE = 100;
  private static final Duration ASK_STATUS = Duration.ofSeconds(5);

  public interface Command extends JsonSerializable {}

  /** Queues an audit of the chat (or answers the one queued or running); empty when the chat is unknown. */
  public record Start(long chatId, int maxRequests, ActorRef<FoundAudit> replyTo) implements Command {}

  /** The chat's last audit, if one was asked. */
  public record Get(long chatId, ActorRef<FoundAudit> replyTo) implements Command {}

  /** The answer to {@link Start} and {@link Get}: a record, so that it can cross to another node. */
  public record FoundAudit(Optional<AuditReport> report) implements JsonSerializable {}

  private record Described(Start start, Optional<Status.ChatView> view) implements Command {}

  private record IdsRead(long chatId, long[] ids, Throwable failure) implements Command {}

  private record PageAnswered(long chatId, HistoryPage page, Throwable failure) implements Command {}

  /** The audit running now. */
  private record Running(AuditReport report, HoleSearch search) {}

  private final String account;
  private final ScheduledClient telegram;
  private final ArchiveReader reader;
  private final ActorRef<Status.Command> status;
  private final Executor reads;
  private final Map<Long, AuditReport> reports = new HashMap<>();
  private final Deque<Long> queue = new ArrayDeque<>();
  private Running running;

  private Audits(ActorContext<Command> context, String account, ScheduledClient telegram, ArchiveReader reader,
      ActorRef<Status.Command> status) {
    super(context);
    this.account = account;
    this.telegram = telegram;
    this.reader = reader;
    this.status = status;
    this.reads = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
  }

  public static Behavior<Command> create(String account, ScheduledClient telegram, ArchiveReader reader,
      ActorRef<Status.Command> status) {
    return Behaviors.setup(context -> new Audits(context, account, telegram, reader, status));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, this::onStart)
        .onMessage(Described.class, this::onDescribed)
        .onMessage(Get.class, get -> {
          get.replyTo().tell(new FoundAudit(Optional.ofNullable(reports.get(get.chatId()))));
          return this;
        })
        .onMessage(IdsRead.class, this::onIdsRead)
        .onMessage(PageAnswered.class, this::onPage)
        .build();
  }

  private Behavior<Command> onStart(Start start) {
    AuditReport known = reports.get(start.chatId());
    if (known != null && (known.state().equals("queued") || known.state().equals("running"))) {
      start.replyTo().tell(new FoundAudit(Optional.of(known)));
      return this;
    }
    getContext().ask(Status.FoundChat.class, status, ASK_STATUS, replyTo -> new Status.GetChat(start.chatId(), replyTo),
        (found, failure) -> new Described(start, found == null ? Optional.empty() : found.chat()));
    return this;
  }

  private Behavior<Command> onDescribed(Described described) {
    Start start = described.start();
    if (described.view().isEmpty()) {
      start.replyTo().tell(new FoundAudit(Optional.empty()));
      return this;
    }
    ChatProgress chat = described.view().get().progress();
    long low = chat.historyComplete() ? 0 : chat.backwardCursor();
    boolean consecutive = chat.chatType().equals("supergroup") || chat.chatType().equals("channel");
    AuditReport report = new AuditReport(chat.chatId(), chat.title(), chat.chatType(), "queued", null,
        consecutive ? "gaps" : "pages", low, chat.forwardCursor(), chat.historyComplete(), 0,
        chat.archivedMessages(), chat.knownTotal(), List.of(), List.of(), 0, start.maxRequests(), null, null, null);
    reports.put(chat.chatId(), report);
    queue.add(chat.chatId());
    start.replyTo().tell(new FoundAudit(Optional.of(report)));
    startNext();
    return this;
  }

  private void startNext() {
    if (running != null || queue.isEmpty()) {
      return;
    }
    AuditReport report = reports.get(queue.poll()).running(Instant.now());
    reports.put(report.chatId(), report);
    if (report.coveredTo() == 0) {
      finish(report, "not_synced", null);
      return;
    }
    running = new Running(report, null);
    long chatId = report.chatId();
    getContext().pipeToSelf(CompletableFuture.supplyAsync(
            () -> reader.messageIds(account, chatId, report.coveredFrom(), report.coveredTo()), reads),
        (ids, failure) -> new IdsRead(chatId, ids, failure));
  }

  private Behavior<Command> onIdsRead(IdsRead read) {
    if (read.failure() != null) {
      fail(read.failure());
      return this;
    }
    AuditReport report = running.report();
    HoleSearch search = HoleSearch.of(read.ids(), report.coveredFrom(), report.coveredTo(),
        report.method().equals("gaps"), report.maxRequests());
    running = new Running(report.searching(read.ids().length), search);
    ask();
    return this;
  }

  private void ask() {
    long from = running.search().nextFrom();
    AuditReport report = running.report();
    if (from == 0) {
      HoleSearch search = running.search();
      finish(report, !search.missing().isEmpty() ? "holes" : search.exhaustive() ? "complete" : "unchecked", null);
      return;
    }
    long chatId = report.chatId();
    getContext().pipeToSelf(telegram.send(chatId, Priority.P4, ChatRequests.history(chatId, from, PAGE)),
        (answer, failure) -> new PageAnswered(chatId, answer == null ? null : HistoryPage.of(answer), failure));
  }

  private Behavior<Command> onPage(PageAnswered answered) {
    if (answered.failure() != null) {
      fail(TdException.unwrap(answered.failure()));
      return this;
    }
    try {
      running.search().answered(answered.page().ids(), answered.page().oldest());
    } catch (IllegalStateException e) {
      fail(e);
      return this;
    }
    ask();
    return this;
  }

  private void fail(Throwable failure) {
    getContext().getLog().warn("[{}] audit of chat [{}] failed: {}", account, running.report().chatId(),
        failure.getMessage());
    finish(running.report(), null, failure.getMessage());
  }

  private void finish(AuditReport report, String verdict, String error) {
    HoleSearch search = running == null ? null : running.search();
    AuditReport done = search == null ? report.finished(verdict, List.of(), List.of(), 0, error)
        : report.finished(verdict, search.holes(), search.missing(), search.requests(), error);
    reports.put(done.chatId(), done);
    running = null;
    startNext();
  }
}
