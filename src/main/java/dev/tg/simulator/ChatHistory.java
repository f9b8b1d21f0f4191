package dev.tg.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The messages of one chat, stored compactly: server ids and dates in growing int arrays, deletions as bits, and
 * texts only where they differ from what the seed generates (posted or edited messages).
 */
final class ChatHistory {
  static final int SERVER_ID_SHIFT = 20;
  static final long MAX_MESSAGE_ID = (long) Integer.MAX_VALUE << SERVER_ID_SHIFT;

  /** Where a message's text comes from: the seed, a control posting plain text, or the account itself sending it. */
  enum Source {
    GENERATED,
    POSTED,
    SENT_BY_ME;

    /** Posted and sent messages are plain text whatever the seed says. */
    boolean isPlainText() {
      return this != GENERATED;
    }
  }

  /**
   * A text that replaced the generated one; {@code editDates} holds the date of each edit, the one that replaced
   * {@code previousTexts[i]} at {@code i}.
   */
  record Revision(String text, int editDate, List<String> previousTexts, List<Integer> editDates, Source source) {
    static Revision of(String text, Source source) {
      return new Revision(text, 0, List.of(), List.of(), source);
    }

    Revision edited(String newText, int date) {
      List<String> previous = new ArrayList<>(previousTexts);
      previous.add(text);
      List<Integer> dates = new ArrayList<>(editDates);
      dates.add(date);
      return new Revision(newText, date, List.copyOf(previous), List.copyOf(dates), source);
    }
  }

  private int[] serverIds = new int[16];
  private int[] dates = new int[16];
  private int size;
  private final BitSet deleted = new BitSet();
  /** When each deleted message was deleted (epoch millis), by index: the ground truth tells it. */
  private final Map<Integer, Long> deletedAtMillis = new HashMap<>();
  /** Texts with a link whose preview has not arrived yet. */
  private final BitSet previewPending = new BitSet();
  private final Map<Integer, Revision> revisions = new HashMap<>();

  static long messageId(int serverId) {
    return (long) serverId << SERVER_ID_SHIFT;
  }

  void append(int serverId, int date) {
    if (size > 0 && serverId <= serverIds[size - 1]) {
      throw new IllegalStateException("server ids must increase: " + serverId + " after " + serverIds[size - 1]);
    }
    if (size == serverIds.length) {
      serverIds = Arrays.copyOf(serverIds, size * 2);
      dates = Arrays.copyOf(dates, size * 2);
    }
    serverIds[size] = serverId;
    dates[size] = date;
    size++;
  }

  int size() {
    return size;
  }

  long messageIdAt(int index) {
    return messageId(serverIds[index]);
  }

  int serverIdAt(int index) {
    return serverIds[index];
  }

  int dateAt(int index) {
    return dates[index];
  }

  /** The highest server id ever used here, deleted or not; 0 for an empty chat. */
  int lastServerId() {
    return size == 0 ? 0 : serverIds[size - 1];
  }

  int lastDate() {
    return size == 0 ? 0 : dates[size - 1];
  }

  boolean isDeleted(int index) {
    return deleted.get(index);
  }

  void delete(int index, long atMillis) {
    deleted.set(index);
    deletedAtMillis.put(index, atMillis);
  }

  /** When the message at {@code index} was deleted, in epoch millis; 0 if it was not. */
  long deletedAtMillis(int index) {
    return deletedAtMillis.getOrDefault(index, 0L);
  }

  boolean isPreviewPending(int index) {
    return previewPending.get(index);
  }

  void setPreviewPending(int index, boolean pending) {
    previewPending.set(index, pending);
  }

  int liveCount() {
    return size - deleted.cardinality();
  }

  /** The index of a message id, or -1 if this chat never had it. */
  int indexOf(long messageId) {
    if (messageId <= 0 || (messageId & ((1L << SERVER_ID_SHIFT) - 1)) != 0 || messageId > MAX_MESSAGE_ID) {
      return -1;
    }
    int index = Arrays.binarySearch(serverIds, 0, size, (int) (messageId >>> SERVER_ID_SHIFT));
    return index >= 0 ? index : -1;
  }

  /** Index of the newest message not deleted, or -1. */
  int lastLiveIndex() {
    return deleted.previousClearBit(size - 1);
  }

  Revision revision(int index) {
    return revisions.get(serverIds[index]);
  }

  void setRevision(int index, Revision revision) {
    revisions.put(serverIds[index], revision);
  }

  /** The index of the newest message sent at or before {@code date}, deleted or not; -1 if none. */
  int lastIndexAtOrBefore(int date) {
    int low = 0;
    int high = size;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (dates[mid] <= date) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low - 1;
  }

  /** {@link #page(long, int, int, IntPredicate)} over every message not deleted. */
  int[] page(long fromMessageId, int offset, int limit) {
    return page(fromMessageId, offset, limit, index -> true);
  }

  /**
   * TDLib's getChatHistory window over the messages not deleted that match, newest first: up to {@code -offset} of
   * the oldest messages with id &gt;= fromMessageId, then up to {@code limit + offset} messages with smaller ids.
   * Arguments are already validated; fromMessageId 0 means from the end.
   */
  int[] page(long fromMessageId, int offset, int limit, IntPredicate matches) {
    int firstNotOlder = fromMessageId == 0 || fromMessageId >= MAX_MESSAGE_ID ? size : lowerBound(fromMessageId);
    int[] newer = new int[Math.max(0, -offset)];
    int newerCount = 0;
    for (int i = firstNotOlder; i < size && newerCount < newer.length; i++) {
      if (!deleted.get(i) && matches.test(i)) {
        newer[newerCount++] = i;
      }
    }
    int[] result = new int[Math.max(0, newerCount + limit + offset)];
    int count = 0;
    for (int i = newerCount - 1; i >= 0; i--) {
      result[count++] = newer[i];
    }
    for (int i = firstNotOlder - 1; i >= 0 && count < result.length; i--) {
      if (!deleted.get(i) && matches.test(i)) {
        result[count++] = i;
      }
    }
    return Arrays.copyOf(result, count);
  }

  /** How many messages not deleted match. */
  int count(IntPredicate matches) {
    int count = 0;
    for (int i = deleted.nextClearBit(0); i < size; i = deleted.nextClearBit(i + 1)) {
      if (matches.test(i)) {
        count++;
      }
    }
    return count;
  }

  private int lowerBound(long messageId) {
    long serverIdCeiling = (messageId + (1L << SERVER_ID_SHIFT) - 1) >>> SERVER_ID_SHIFT;
    int low = 0;
    int high = size;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (serverIds[mid] < serverIdCeiling) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
