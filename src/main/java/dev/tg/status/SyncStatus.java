package dev.tg.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tg.JsonSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code tg status} shows, with the design document's {@code SyncStatus} names (snake_case in JSON).
 * The node's status sums its accounts; {@code accounts} holds each one.
 */
public record SyncStatus(
    boolean daemonRunning,
    long daemonUptimeSeconds,
    Instant lastTelegramPing,
    String connectionState,
    ContactSyncStatus contacts,
    ChatSyncSummary chats,
    long syncedMessages,
    List<ActiveJobInfo> activeJobs,
    RateLimitStatus rateLimitStatus,
    StorageStatus storage,
    MediaStatus media,
    List<AccountStatus> accounts,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<ClusterMember> clusterMembers)
    implements JsonSerializable {

  /**
   * A member of the cluster as this node sees it: {@code status} is Pekko's member status in lower case
   * ({@code joining}, {@code up}, {@code leaving}, {@code exiting}, {@code down}...); {@code self} is the node asked.
   */
  public record ClusterMember(String address, String status, boolean reachable, boolean self)
      implements JsonSerializable {}

  public record ContactSyncStatus(int totalContacts, Instant lastFullSync) implements JsonSerializable {
    ContactSyncStatus plus(ContactSyncStatus other) {
      return new ContactSyncStatus(totalContacts + other.totalContacts, latest(lastFullSync, other.lastFullSync));
    }
  }

  public record ChatSyncSummary(
      int totalChats,
      int syncEnabled,
      int fullySynced,
      int partiallySynced,
      int notSynced,
      int inaccessible,
      Map<String, PrioritySyncStatus> byPriority)
      implements JsonSerializable {
    static final ChatSyncSummary NONE = new ChatSyncSummary(0, 0, 0, 0, 0, 0, Map.of());

    ChatSyncSummary plus(ChatSyncSummary other) {
      Map<String, PrioritySyncStatus> tiers = new LinkedHashMap<>(byPriority);
      other.byPriority.forEach((tier, figures) -> tiers.merge(tier, figures, PrioritySyncStatus::plus));
      return new ChatSyncSummary(totalChats + other.totalChats, syncEnabled + other.syncEnabled,
          fullySynced + other.fullySynced, partiallySynced + other.partiallySynced, notSynced + other.notSynced,
          inaccessible + other.inaccessible, tiers);
    }
  }

  public record PrioritySyncStatus(
      String label, int total, int complete, int inProgress, long totalMessages, long syncedMessages)
      implements JsonSerializable {
    PrioritySyncStatus plus(PrioritySyncStatus other) {
      return new PrioritySyncStatus(label, total + other.total, complete + other.complete,
          inProgress + other.inProgress, totalMessages + other.totalMessages, syncedMessages + other.syncedMessages);
    }
  }

  public record ActiveJobInfo(
      String account,
      long chatId,
      String chatName,
      String jobType,
      String priority,
      Double progressPercent,
      long messagesFetched,
      Instant startedAt)
      implements JsonSerializable {}

  /**
   * {@code floodWait}: a 429 the node obeys; {@code slowRequest}: a request unanswered for over a second, which may
   * be TDLib sitting out a flood wait by itself (it does until one request's waits reach a minute).
   */
  public record RateLimitStatus(
      int requestsPerSecond,
      double limit,
      double configuredLimit,
      int inFlight,
      int queued,
      FloodWait floodWait,
      SlowRequest slowRequest)
      implements JsonSerializable {
    static final RateLimitStatus NONE = new RateLimitStatus(0, 0, 0, 0, 0, null, null);

    RateLimitStatus plus(RateLimitStatus other) {
      return new RateLimitStatus(requestsPerSecond + other.requestsPerSecond, limit + other.limit,
          configuredLimit + other.configuredLimit, inFlight + other.inFlight, queued + other.queued,
          floodWait != null ? floodWait : other.floodWait,
          slowRequest == null || other.slowRequest != null && other.slowRequest.seconds > slowRequest.seconds
              ? other.slowRequest : slowRequest);
    }
  }

  /**
   * Whether the storage takes writes: {@code state} ok, low_space, full, io_error or damaged; history is paused
   * while it is not ok. {@code freeBytes} is the least room measured (null before the first measurement).
   */
  public record StorageStatus(String state, boolean paused, String problem, Long freeBytes, long minFreeBytes,
      Instant since, Instant checkedAt) implements JsonSerializable {}

  /**
   * The media downloads: files (and their bytes) waiting, being downloaded, stored, failed and skipped by the
   * policy; the rate of the last seconds and the time the waiting ones need at it (null while nothing moves).
   */
  public record MediaStatus(long pendingFiles, long pendingBytes, int downloadingFiles, long doneFiles,
      long doneBytes, long failedFiles, long skippedFiles, long bytesPerSecond, Long etaSeconds)
      implements JsonSerializable {
    public static final MediaStatus NONE = new MediaStatus(0, 0, 0, 0, 0, 0, 0, 0, null);

    MediaStatus plus(MediaStatus other) {
      long rate = bytesPerSecond + other.bytesPerSecond;
      long pending = pendingBytes + other.pendingBytes;
      return new MediaStatus(pendingFiles + other.pendingFiles, pending, downloadingFiles + other.downloadingFiles,
          doneFiles + other.doneFiles, doneBytes + other.doneBytes, failedFiles + other.failedFiles,
          skippedFiles + other.skippedFiles, rate, rate > 0 ? pending / rate : null);
    }
  }

  public record FloodWait(String account, Instant until, String method, long seconds) implements JsonSerializable {}

  public record SlowRequest(String account, String method, long chatId, long seconds) implements JsonSerializable {}

  /**
   * The node's status: every account's figures summed, and each account beside them; {@code clusterMembers} null
   * on a node that is no cluster member.
   */
  public static SyncStatus of(Instant startedAt, List<AccountStatus> accounts, List<ClusterMember> clusterMembers) {
    ContactSyncStatus contacts = new ContactSyncStatus(0, null);
    ChatSyncSummary chats = ChatSyncSummary.NONE;
    RateLimitStatus rates = RateLimitStatus.NONE;
    MediaStatus media = MediaStatus.NONE;
    Instant lastPing = null;
    long synced = 0;
    List<ActiveJobInfo> jobs = new ArrayList<>();
    for (AccountStatus account : accounts) {
      contacts = contacts.plus(account.contacts());
      chats = chats.plus(account.chats());
      rates = rates.plus(account.rateLimitStatus());
      media = media.plus(account.media());
      lastPing = latest(lastPing, account.lastTelegramPing());
      synced += account.syncedMessages();
      jobs.addAll(account.activeJobs());
    }
    String connection = accounts.stream().map(AccountStatus::connectionState)
        .filter(state -> !state.equals("ready")).findFirst().orElse(accounts.isEmpty() ? "none" : "ready");
    // every account stores into the node's one archive: a paused one speaks for all
    StorageStatus storage = accounts.stream().map(AccountStatus::storage).filter(s -> s != null && s.paused())
        .findFirst().orElse(accounts.isEmpty() ? null : accounts.get(0).storage());
    return new SyncStatus(true, Duration.between(startedAt, Instant.now()).toSeconds(), lastPing, connection,
        contacts, chats, synced, jobs, rates, storage, media, accounts, clusterMembers);
  }

  private static Instant latest(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }

  /**
   * One account's part of the status; {@code chatRestarts} counts chat actors restarted after a journal or archive
   * failure (each resumes from its last event). {@code runner}: the address of the cluster member running the
   * account; null when it runs nowhere now, and on a node that is no cluster member.
   */
  public record AccountStatus(
      String name,
      String connectionState,
      Instant lastTelegramPing,
      ContactSyncStatus contacts,
      ChatSyncSummary chats,
      long syncedMessages,
      List<ActiveJobInfo> activeJobs,
      RateLimitStatus rateLimitStatus,
      int chatRestarts,
      List<String> errors,
      StorageStatus storage,
      MediaStatus media,
      @JsonInclude(JsonInclude.Include.NON_NULL) String runner)
      implements JsonSerializable {
    /** An account that does not run on this node now: {@code connectionState} says why; every figure is empty. */
    public static AccountStatus notRunning(String name, String connectionState) {
      return new AccountStatus(name, connectionState, null, new ContactSyncStatus(0, null), ChatSyncSummary.NONE, 0,
          List.of(), RateLimitStatus.NONE, 0, List.of(), null, MediaStatus.NONE, null);
    }
  }
}
