package dev.tg.chat;

import dev.tg.JsonSerializable;
import java.time.Instant;
import java.util.List;

/**
 * An audit of one chat's archive against Telegram: the range the cursors vouch for, what the archive holds there,
 * and the holes found by asking TDLib for the ranges around them.
 *
 * @param state {@code queued}, {@code running}, {@code done} or {@code failed}
 * @param verdict when done: {@code complete}, {@code holes}, {@code unchecked} (the request budget ran out before
 *     every suspect range was asked; no hole in what was) or {@code not_synced} (no covered range yet)
 * @param method {@code gaps} (supergroups and channels: their server ids are consecutive, so only the gaps of the
 *     archive's id sequence are asked) or {@code pages} (private chats and basic groups: the whole range is paged)
 * @param missing the ids of messages Telegram has in the covered range that the archive lacks, ascending
 */
public record AuditReport(
    long chatId,
    String title,
    String chatType,
    String state,
    String verdict,
    String method,
    long coveredFrom,
    long coveredTo,
    boolean historyComplete,
    long archivedInRange,
    long archivedMessages,
    long knownTotal,
    List<Hole> holes,
    List<Long> missing,
    int requests,
    int maxRequests,
    String error,
    Instant startedAt,
    Instant finishedAt) implements JsonSerializable {

  AuditReport running(Instant at) {
    return new AuditReport(chatId, title, chatType, "running", null, method, coveredFrom, coveredTo, historyComplete,
        archivedInRange, archivedMessages, knownTotal, holes, missing, requests, maxRequests, null, at, null);
  }

  AuditReport searching(long archivedIds) {
    return new AuditReport(chatId, title, chatType, state, null, method, coveredFrom, coveredTo, historyComplete,
        archivedIds, archivedMessages, knownTotal, holes, missing, requests, maxRequests, null, startedAt, null);
  }

  /** Done with a verdict, or failed with an error (verdict null). */
  AuditReport finished(String verdict, List<Hole> found, List<Long> missingIds, int asked, String failure) {
    return new AuditReport(chatId, title, chatType, failure == null ? "done" : "failed", verdict, method,
        coveredFrom, coveredTo, historyComplete, archivedInRange, archivedMessages, knownTotal, List.copyOf(found),
        List.copyOf(missingIds), asked, maxRequests, failure, startedAt, Instant.now());
  }

  /** Missing messages with no archived message between them: {@code count} of them, from {@code from} to {@code to}. */
  public record Hole(long from, long to, int count) implements JsonSerializable {}
}
