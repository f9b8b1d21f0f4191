package dev.tg.status;

import dev.tg.JsonSerializable;
import dev.tg.metrics.NodeMetrics;
import dev.tg.scheduler.Priority;
import dev.tg.scheduler.Scheduler.Rates;
import dev.tg.status.SyncStatus.AccountStatus;
import dev.tg.status.SyncStatus.ActiveJobInfo;
import dev.tg.status.SyncStatus.ChatSyncSummary;
import dev.tg.status.SyncStatus.ContactSyncStatus;
import dev.tg.status.SyncStatus.FloodWait;
import dev.tg.status.SyncStatus.PrioritySyncStatus;
import dev.tg.status.SyncStatus.RateLimitStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The account's read model for {@code tg status}: fed by what the chat actors, the scheduler, the contacts
 * actor and the TDLib connection publish; it never polls the database.
 */
public final class Status extends AbstractBehavior<Status.Command> {

  public interface Command extends JsonSerializable {}

  public record ChatUpdated(ChatProgress progress) implements Command {}

  public record RatesUpdated(Rates rates) implements Command {}

  public record ContactsUpdated(int count, Instant lastFullSync) implements Command {}

  public record ConnectionChanged(String state) implements Command {}

  /** Telegram answered or sent something; throttled by the sender. */
  public record TelegramHeard(Instant at) implements Command {}

  /** A chat actor failed (its journal or the archive) and restarts from its last event. */
  public record ChatRestarted(long chatId) implements Command {}

  /** The node's storage changed or was measured again. */
  public record StorageChanged(SyncStatus.StorageStatus storage) implements Command {}

  /** An account-level problem to show (for example: not logged in). */
  public record ProblemReported(String problem) implements Command {}

  public record MediaUpdated(SyncStatus.MediaStatus media) implements Command {}

  public record GetAccountStatus(ActorRef<AccountStatus> replyTo) implements Command {}

  public record GetChats(ChatFilter filter, ActorRef<ChatList> replyTo) implements Command {}

  public record GetChat(long chatId, ActorRef<FoundChat> replyTo) implements Command {}

  /** The answer to {@link GetChats}: a record, not a bare list, so that it can cross to another node. */
  public record ChatList(List<ChatView> chats) implements JsonSerializable {}

  /** The answer to {@link GetChat}; empty when the account does not know the chat. */
  public record FoundChat(Optional<ChatView> chat) implements JsonSerializable {}

  /** Which chats {@code GET /chats} lists; null fields match everything. */
  public record ChatFilter(Priority priority, String state) implements JsonSerializable {
    public static final ChatFilter ALL = new ChatFilter(null, null);
  }

  /**
   * One chat as status shows it, beyond the design: covered ids, rate, time to complete, queue position, and its
   * files (null until the media downloads have looked at its messages).
   */
  public record ChatView(
      String account,
      ChatProgress progress,
      String state,
      long coveredFrom,
      long coveredTo,
      double messagesPerSecond,
      Long etaSeconds,
      Integer queuePosition,
      ChatMedia media)
      implements JsonSerializable {
    public ChatView withMedia(ChatMedia files) {
      return new ChatView(account, progress, state, coveredFrom, coveredTo, messagesPerSecond, etaSeconds,
          queuePosition, files);
    }
  }

  /**
   * A chat's files in the media table: stored, waiting (pending or downloading), failed, skipped by the policy, and
   * how many of its archived messages the downloads have still to look at for files.
   */
  public record ChatMedia(long storedFiles, long storedBytes, long waitingFiles, long waitingBytes, long failedFiles,
      long skippedFiles, long messagesToLookAt) implements JsonSerializable {
    public static final ChatMedia NONE = new ChatMedia(0, 0, 0, 0, 0, 0, 0);

    public ChatMedia lookingAt(long messages) {
      return new ChatMedia(storedFiles, storedBytes, waitingFiles, waitingBytes, failedFiles, skippedFiles,
          messagesToLookAt + messages);
    }
  }

  private record Throughput(long archived, Instant at, double perSecond) {}

  private final String account;
  private final String runner;
  private final NodeMetrics metrics;
  private final Map<Long, ChatProgress> chats = new LinkedHashMap<>();
  private final Map<Long, Throughput> throughput = new HashMap<>();
  private final Map<Long, Long> archivedCounted = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private Rates rates = Rates.NONE;
  private int contacts;
  private int chatRestarts;
  private Instant lastContactSync;
  private String connectionState = "connecting";
  private Instant lastTelegramPing;
  private SyncStatus.StorageStatus storage;
  private SyncStatus.MediaStatus media = SyncStatus.MediaStatus.NONE;

  private Status(ActorContext<Command> context, String account) {
    super(context);
    this.account = account;
    Address node = context.getSystem().address();
    // a cluster member's address (host and port); a single node's has none, and its status names no runner
    this.runner = node.hasGlobalScope() ? node.toString() : null;
    this.metrics = NodeMetrics.get(context.getSystem());
    metrics.accountStarted(account, Arrays.stream(Priority.values()).map(Enum::name).toList(), STATES);
  }

  public static Behavior<Command> create(String account) {
    return Behaviors.setup(context -> new Status(context, account));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ChatUpdated.class, this::onChatUpdated)
        .onMessage(RatesUpdated.class, updated -> {
          rates = updated.rates();
          return this;
        })
        .onMessage(ContactsUpdated.class, updated -> {
          contacts = updated.count();
          lastContactSync = updated.lastFullSync() == null ? lastContactSync : updated.lastFullSync();
          return this;
        })
        .onMessage(ConnectionChanged.class, changed -> {
          connectionState = changed.state();
          return this;
        })
        .onMessage(TelegramHeard.class, heard -> {
          lastTelegramPing = heard.at();
          return this;
        })
        .onMessage(ChatRestarted.class, restarted -> {
          chatRestarts++;
          metrics.journalFailure(account);
          return this;
        })
        .onMessage(StorageChanged.class, changed -> {
          storage = changed.storage();
          return this;
        })
        .onMessage(MediaUpdated.class, updated -> {
          media = updated.media();
          return this;
        })
        .onMessage(ProblemReported.class, reported -> {
          problems.add(reported.problem());
          return this;
        })
        .onMessage(GetAccountStatus.class, get -> {
          get.replyTo().tell(accountStatus());
          return this;
        })
        .onMessage(GetChats.class, get -> {
          get.replyTo().tell(new ChatList(views(matching(get.filter()))));
          return this;
        })
        .onMessage(GetChat.class, get -> {
          ChatProgress progress = chats.get(get.chatId());
          get.replyTo().tell(new FoundChat(Optional.ofNullable(progress).map(p -> views(List.of(p)).get(0))));
          return this;
        })
        .build();
  }

  private Behavior<Command> onChatUpdated(ChatUpdated updated) {
    ChatProgress progress = updated.progress();
    count(chats.put(progress.chatId(), progress), progress);
    Throughput before = throughput.get(progress.chatId());
    Instant now = progress.updatedAt();
    if (before == null) {
      throughput.put(progress.chatId(), new Throughput(progress.archivedMessages(), now, 0));
    } else if (Duration.between(before.at(), now).toMillis() >= 1000) {
      double seconds = Duration.between(before.at(), now).toMillis() / 1000.0;
      double rate = (progress.archivedMessages() - before.archived()) / seconds;
      // smoothed, so one slow batch does not swing the estimate
      double smoothed = before.perSecond() == 0 ? rate : 0.7 * before.perSecond() + 0.3 * rate;
      throughput.put(progress.chatId(), new Throughput(progress.archivedMessages(), now, smoothed));
    }
    return this;
  }

  /**
   * What a chat's change adds to the metrics: its move to another state, and the messages archived beyond the most
   * it had reported (a chat restarted after a failure reports a lower count for a while). Its first report is what
   * it had before this node counted.
   */
  private void count(ChatProgress before, ChatProgress after) {
    String from = before == null ? null : stateOf(before);
    if (!stateOf(after).equals(from)) {
      metrics.chatMoved(account, from, stateOf(after));
    }
    Long counted = archivedCounted.get(after.chatId());
    if (counted == null || after.archivedMessages() > counted) {
      archivedCounted.put(after.chatId(), after.archivedMessages());
      if (counted != null) {
        metrics.messagesArchived(account, after.priority().name(), after.archivedMessages() - counted);
      }
    }
  }

  /** The states a chat is in, as {@code tg chats} and {@code GET /chats?state=} name them. */
  public static final List<String> STATES =
      List.of("complete", "in_progress", "not_synced", "left", "inaccessible", "deleted");

  /** One of {@link #STATES}. */
  static String stateOf(ChatProgress chat) {
    if (!chat.active()) {
      return chat.access();
    }
    if (!chat.enabled()) {
      return "not_synced";
    }
    return chat.historyComplete() ? "complete" : "in_progress";
  }

  private List<ChatProgress> matching(ChatFilter filter) {
    Predicate<ChatProgress> priority = chat -> filter.priority() == null || filter.priority() == chat.priority();
    Predicate<ChatProgress> state = chat -> filter.state() == null || filter.state().equals(stateOf(chat));
    return chats.values().stream().filter(priority.and(state)).toList();
  }

  private List<ChatView> views(List<ChatProgress> selected) {
    Map<Long, Integer> positions = new HashMap<>();
    List<Long> queued = rates.queuedChats();
    for (int i = 0; i < queued.size(); i++) {
      positions.putIfAbsent(queued.get(i), i + 1);
    }
    List<ChatView> views = new ArrayList<>();
    for (ChatProgress chat : selected) {
      double perSecond = Optional.ofNullable(throughput.get(chat.chatId())).map(Throughput::perSecond).orElse(0.0);
      long remaining = chat.knownTotal() - chat.archivedMessages();
      Long eta = chat.historyComplete() ? Long.valueOf(0)
          : perSecond > 0 && remaining > 0 ? Long.valueOf((long) Math.ceil(remaining / perSecond)) : null;
      views.add(new ChatView(account, chat, stateOf(chat), chat.backwardCursor(), chat.forwardCursor(), perSecond,
          eta, positions.get(chat.chatId()), null));
    }
    return views;
  }

  private AccountStatus accountStatus() {
    Map<String, PrioritySyncStatus> byPriority = new LinkedHashMap<>();
    int enabled = 0;
    int complete = 0;
    int partial = 0;
    int notSynced = 0;
    int inaccessible = 0;
    long synced = 0;
    for (Priority priority : List.of(Priority.P1, Priority.P2, Priority.P3, Priority.P4)) {
      byPriority.put(priority.name(), new PrioritySyncStatus(priority.label(), 0, 0, 0, 0, 0));
    }
    List<ActiveJobInfo> jobs = new ArrayList<>();
    // a job waiting for its token is queued, not active
    Set<Long> queued = new HashSet<>(rates.queuedChats());
    for (ChatProgress chat : chats.values()) {
      synced += chat.archivedMessages();
      String state = stateOf(chat);
      switch (state) {
        case "complete" -> complete++;
        case "in_progress" -> partial++;
        case "not_synced" -> notSynced++;
        default -> inaccessible++;
      }
      if (chat.enabled() && chat.active()) {
        enabled++;
      }
      byPriority.computeIfPresent(chat.priority().name(), (key, tier) -> tier.plus(new PrioritySyncStatus(
          tier.label(), 1, state.equals("complete") ? 1 : 0, state.equals("in_progress") ? 1 : 0,
          Math.max(chat.knownTotal(), chat.archivedMessages()), chat.archivedMessages())));
      if (chat.job() != null && !queued.contains(chat.chatId())) {
        Double percent = chat.knownTotal() > 0
            ? Math.min(100.0, Math.round(1000.0 * chat.archivedMessages() / chat.knownTotal()) / 10.0)
            : null;
        jobs.add(new ActiveJobInfo(account, chat.chatId(), chat.title(), chat.job().type(),
            chat.job().priority().name(), percent, chat.job().messagesFetched(), chat.job().startedAt()));
      }
    }
    jobs.sort(Comparator.comparing(ActiveJobInfo::priority).thenComparing(ActiveJobInfo::startedAt));
    FloodWait flood = rates.floodUntil() == null
        ? null
        : new FloodWait(account, rates.floodUntil(), rates.floodMethod(), rates.floodSeconds());
    return new AccountStatus(
        account,
        connectionState,
        lastTelegramPing,
        new ContactSyncStatus(contacts, lastContactSync),
        new ChatSyncSummary(chats.size(), enabled, complete, partial, notSynced, inaccessible, byPriority),
        synced,
        jobs,
        new RateLimitStatus(rates.lastSecond(), rates.limit(), rates.configured(), rates.inFlight(),
            rates.queuedChats().size(), flood, rates.slowest() == null ? null : new SyncStatus.SlowRequest(account,
                rates.slowest().method(), rates.slowest().chatId(), rates.slowest().seconds())),
        chatRestarts,
        List.copyOf(problems),
        storage,
        media,
        runner);
  }
}
