package dev.tg.status;

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
    List<AccountStatus> accounts)
    implements JsonSerializable {

  public record ContactSyncStatus(int totalContacts, Instant lastFullSync) implements JsonSerializable {}

  public record ChatSyncSummary(
      int totalChats,
      int syncEnabled,
      int fullySynced,
      int partiallySynced,
      int notSynced,
      int inaccessible,
      Map<String, PrioritySyncStatus> byPriority)
      implements JsonSerializable {}

  public record PrioritySyncStatus(
      String label, int total, int complete, int inProgress, long totalMessages, long syncedMessages)
      implements JsonSerializable {}

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

  public record RateLimitStatus(
      int requestsPerSecond,
      double limit,
      double configuredLimit,
      int inFlight,
      int queued,
      FloodWait floodWait)
      implements JsonSerializable {}

  public record FloodWait(String account, Instant until, String method, long seconds) implements JsonSerializable {}

  /** The node's status: every account's figures summed, and each account beside them. */
  public static SyncStatus of(Instant startedAt, List<AccountStatus> accounts) {
    Map<String, PrioritySyncStatus> byPriority = new LinkedHashMap<>();
    int total = 0;
    int enabled = 0;
    int complete = 0;
    int partial = 0;
    int notSynced = 0;
    int inaccessible = 0;
    int contacts = 0;
    Instant lastContactSync = null;
    Instant lastPing = null;
    long synced = 0;
    List<ActiveJobInfo> jobs = new ArrayList<>();
    int requests = 0;
    double limit = 0;
    double configured = 0;
    int inFlight = 0;
    int queued = 0;
    FloodWait flood = null;
    for (AccountStatus account : accounts) {
      ChatSyncSummary chats = account.chats();
      total += chats.totalChats();
      enabled += chats.syncEnabled();
      complete += chats.fullySynced();
      partial += chats.partiallySynced();
      notSynced += chats.notSynced();
      inaccessible += chats.inaccessible();
      chats.byPriority().forEach((tier, figures) -> byPriority.merge(tier, figures, (a, b) -> new PrioritySyncStatus(
          a.label(), a.total() + b.total(), a.complete() + b.complete(), a.inProgress() + b.inProgress(),
          a.totalMessages() + b.totalMessages(), a.syncedMessages() + b.syncedMessages())));
      contacts += account.contacts().totalContacts();
      lastContactSync = latest(lastContactSync, account.contacts().lastFullSync());
      lastPing = latest(lastPing, account.lastTelegramPing());
      synced += account.syncedMessages();
      jobs.addAll(account.activeJobs());
      RateLimitStatus rates = account.rateLimitStatus();
      requests += rates.requestsPerSecond();
      limit += rates.limit();
      configured += rates.configuredLimit();
      inFlight += rates.inFlight();
      queued += rates.queued();
      flood = flood == null ? rates.floodWait() : flood;
    }
    String connection = accounts.stream().map(AccountStatus::connectionState)
        .filter(state -> !state.equals("ready")).findFirst().orElse(accounts.isEmpty() ? "none" : "ready");
    return new SyncStatus(
        true,
        Duration.between(startedAt, Instant.now()).toSeconds(),
        lastPing,
        connection,
        new ContactSyncStatus(contacts, lastContactSync),
        new ChatSyncSummary(total, enabled, complete, partial, notSynced, inaccessible, byPriority),
        synced,
        jobs,
        new RateLimitStatus(requests, limit, configured, inFlight, queued, flood),
        accounts);
  }

  private static Instant latest(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }

  /** One account's part of the status. */
  public record AccountStatus(
      String name,
      String connectionState,
      Instant lastTelegramPing,
      ContactSyncStatus contacts,
      ChatSyncSummary chats,
      long syncedMessages,
      List<ActiveJobInfo> activeJobs,
      RateLimitStatus rateLimitStatus,
      List<String> errors)
      implements JsonSerializable {}
}
