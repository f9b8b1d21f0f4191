package dev.tg.status;

import dev.tg.JsonSerializable;
import dev.tg.scheduler.Priority;
import java.time.Instant;

/**
 * Where a chat stands, as its actor publishes it for status and {@code tg sync}: a plain record, so that the
 * readers need nothing of the chat actor. {@code access} is {@code active}, {@code left}, {@code inaccessible}
 * or {@code deleted}; {@code job} is null when nothing runs.
 */
public record ChatProgress(
    long chatId,
    String title,
    String chatType,
    int memberCount,
    Priority priority,
    boolean enabled,
    String access,
    long forwardCursor,
    long backwardCursor,
    boolean historyComplete,
    long archivedMessages,
    long knownTotal,
    JobInfo job,
    int errors,
    String lastError,
    Instant updatedAt)
    implements JsonSerializable {

  public static final String ACTIVE = "active";

  public boolean active() {
    return ACTIVE.equals(access);
  }

  public record JobInfo(String type, Priority priority, Instant startedAt, long messagesFetched)
      implements JsonSerializable {}
}
