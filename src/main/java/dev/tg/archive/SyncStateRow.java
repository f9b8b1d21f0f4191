package dev.tg.archive;

import java.time.Instant;

/** One row of the design's {@code chat_sync_state} table. */
public record SyncStateRow(
    long chatId,
    String chatType,
    String title,
    int memberCount,
    long forwardCursor,
    long backwardCursor,
    int priority,
    boolean enabled,
    boolean historyComplete,
    String access,
    long totalMessages,
    long syncedMessages,
    Instant lastForwardSync,
    Instant lastBackwardSync) {}
