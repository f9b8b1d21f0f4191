package dev.tg.config;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code tg.sync} section: how chats are prioritised and how fast Telegram may be asked. */
public record SyncSettings(
    boolean enabled,
    int maxConcurrentJobs,
    int historyBatchSize,
    Duration historyBatchInterval,
    Duration requestTimeout,
    Duration catchUpAfterOffline,
    Duration restartBackoffMin,
    Duration restartBackoffMax,
    int snapshotEvery,
    Priorities priorities,
    RateLimits rateLimits,
    ReSweep resweep,
    Duration contactsFullSyncInterval) {

  public record Priorities(
      int smallGroupMax,
      int mediumGroupMax,
      int mediumInitialLoad,
      boolean autoSyncDms,
      boolean autoSyncSmallGroups,
      boolean autoSyncMediumGroups,
      boolean autoSyncLargeGroups,
      boolean autoSyncChannels) {}

  public record RateLimits(
      double globalRps,
      double perChatRps,
      double floodWaitMultiplier,
      Duration retryBackoffMin,
      Duration retryBackoffMax,
      int maxRetries) {}

  /**
   * After a restart or a gap, the newest {@code window} messages of a chat that had traffic within
   * {@code activeWithin} are read again, for edits and deletions the node could not see; 0 turns it off.
   */
  public record ReSweep(int window, Duration activeWithin) {}

  /** Reads and checks {@code tg.sync}; a bad value fails with the key that holds it. */
  public static SyncSettings from(Config tg) {
    Config sync = tg.getConfig("sync");
    Config priorities = sync.getConfig("priorities");
    Config limits = sync.getConfig("rate-limits");
    SyncSettings settings = new SyncSettings(
        sync.getBoolean("enabled"),
        sync.getInt("max-concurrent-jobs"),
        sync.getInt("history-batch-size"),
        sync.getDuration("history-batch-interval"),
        sync.getDuration("request-timeout"),
        sync.getDuration("catch-up-after-offline"),
        sync.getDuration("restart-backoff-min"),
        sync.getDuration("restart-backoff-max"),
        sync.getInt("snapshot-every"),
        new Priorities(
            priorities.getInt("small-group-max"),
            priorities.getInt("medium-group-max"),
            priorities.getInt("medium-initial-load"),
            priorities.getBoolean("auto-sync-dms"),
            priorities.getBoolean("auto-sync-small-groups"),
            priorities.getBoolean("auto-sync-medium-groups"),
            priorities.getBoolean("auto-sync-large-groups"),
            priorities.getBoolean("auto-sync-channels")),
        new RateLimits(
            limits.getDouble("global-rps"),
            limits.getDouble("per-chat-rps"),
            limits.getDouble("flood-wait-multiplier"),
            limits.getDuration("retry-backoff-min"),
            limits.getDuration("retry-backoff-max"),
            limits.getInt("max-retries")),
        new ReSweep(sync.getInt("resweep.window"), sync.getDuration("resweep.active-within")),
        sync.getDuration("contacts.full-sync-interval"));
    settings.validate();
    return settings;
  }

  private void validate() {
    require(maxConcurrentJobs >= 1, "tg.sync.max-concurrent-jobs", "must be at least 1");
    require(historyBatchSize >= 1 && historyBatchSize <= 100, "tg.sync.history-batch-size", "must be 1..100");
    require(!historyBatchInterval.isNegative(), "tg.sync.history-batch-interval", "must not be negative");
    require(requestTimeout.toMillis() > 0, "tg.sync.request-timeout", "must be positive");
    require(!catchUpAfterOffline.isNegative(), "tg.sync.catch-up-after-offline", "must not be negative");
    require(restartBackoffMin.toMillis() > 0, "tg.sync.restart-backoff-min", "must be positive");
    require(restartBackoffMax.compareTo(restartBackoffMin) >= 0, "tg.sync.restart-backoff-max",
        "must not be below restart-backoff-min");
    require(snapshotEvery >= 1, "tg.sync.snapshot-every", "must be at least 1");
    require(priorities.smallGroupMax >= 1, "tg.sync.priorities.small-group-max", "must be at least 1");
    require(
        priorities.mediumGroupMax >= priorities.smallGroupMax,
        "tg.sync.priorities.medium-group-max",
        "must not be below small-group-max (" + priorities.smallGroupMax + ")");
    require(priorities.mediumInitialLoad >= 1, "tg.sync.priorities.medium-initial-load", "must be at least 1");
    require(rateLimits.globalRps > 0, "tg.sync.rate-limits.global-rps", "must be positive");
    require(rateLimits.perChatRps > 0, "tg.sync.rate-limits.per-chat-rps", "must be positive");
    require(rateLimits.floodWaitMultiplier >= 1, "tg.sync.rate-limits.flood-wait-multiplier", "must be at least 1");
    require(!rateLimits.retryBackoffMin.isNegative(), "tg.sync.rate-limits.retry-backoff-min", "must not be negative");
    require(
        rateLimits.retryBackoffMax.compareTo(rateLimits.retryBackoffMin) >= 0,
        "tg.sync.rate-limits.retry-backoff-max",
        "must not be below retry-backoff-min");
    require(rateLimits.maxRetries >= 1, "tg.sync.rate-limits.max-retries", "must be at least 1");
    require(resweep.window >= 0, "tg.sync.resweep.window", "must not be negative");
    require(!resweep.activeWithin.isNegative(), "tg.sync.resweep.active-within", "must not be negative");
    require(contactsFullSyncInterval.toMillis() > 0, "tg.sync.contacts.full-sync-interval", "must be positive");
  }

  private static void require(boolean ok, String key, String problem) {
    if (!ok) {
      throw new SettingsException(key, problem);
    }
  }
}
