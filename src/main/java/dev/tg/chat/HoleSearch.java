package dev.tg.chat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Where an audit asks TDLib, and what the answers prove; pure, one request at a time. The archive's ids in the
 * covered range give the suspects: for supergroups and channels, whose server ids are consecutive per chat, only
 * the gaps of the sequence (a gap may be a deletion, or a hole); for private chats and basic groups, whose ids are
 * not, the whole range. Each answer of {@code getChatHistory} from the top of a suspect range shows every message
 * between its oldest id and where it started, so one page can clear several small gaps.
 */
final class HoleSearch {
  private static final int SERVER_ID_SHIFT = 20;

  /** Ids strictly between {@code lower} and {@code upper} are suspect. */
  private record Gap(long lower, long upper) {}

  private final long[] archived;
  private final long low;
  private final long high;
  private final List<Gap> gaps;
  private final int maxRequests;
  private final TreeSet<Long> missing = new TreeSet<>();
  private long verifiedFrom;
  private int requests;

  private HoleSearch(long[] archived, long low, long high, List<Gap> gaps, int maxRequests) {
    this.archived = archived;
    this.low = low;
    this.high = high;
    this.gaps = gaps;
    this.maxRequests = maxRequests;
    this.verifiedFrom = gaps.isEmpty() ? Long.MIN_VALUE : gaps.get(0).upper();
  }

  /**
   * A search of [low, high] (low 0 when the history is complete) over the archived ids in it, ascending;
   * {@code consecutiveIds} for supergroups and channels.
   */
  static HoleSearch of(long[] archived, long low, long high, boolean consecutiveIds, int maxRequests) {
    long lower = low == 0 ? 0 : low - 1;
    long upper = serverMessageId(serverId(high) + 1);
    List<Gap> gaps = new ArrayList<>();
    if (!consecutiveIds || archived.length == 0) {
      gaps.add(new Gap(lower, upper));
    } else {
      if (archived[archived.length - 1] < high) {
        gaps.add(new Gap(archived[archived.length - 1], upper));
      }
      for (int i = archived.length - 1; i > 0; i--) {
        if (serverId(archived[i]) - serverId(archived[i - 1]) > 1) {
          gaps.add(new Gap(archived[i - 1], archived[i]));
        }
      }
      if (serverId(archived[0]) - serverId(lower) > 1) {
        gaps.add(new Gap(lower, archived[0]));
      }
    }
    return new HoleSearch(archived, low, high, gaps, maxRequests);
  }

  /** The {@code from_message_id} of the next page (strictly older messages), or 0 when nothing is left to ask. */
  long nextFrom() {
    if (requests >= maxRequests) {
      return 0;
    }
    for (Gap gap : gaps) {
      if (verifiedFrom > gap.lower() + 1) {
        verifiedFrom = Math.min(gap.upper(), verifiedFrom);
        return verifiedFrom;
      }
    }
    return 0;
  }

  /** The server message ids of a page asked from {@link #nextFrom()}, and the oldest id in it (0: none, the start). */
  void answered(List<Long> serverIds, long oldest) {
    long from = verifiedFrom;
    requests++;
    for (long id : serverIds) {
      if (id >= low && id <= high && Arrays.binarySearch(archived, id) < 0) {
        missing.add(id);
      }
    }
    if (oldest == 0) {
      verifiedFrom = Long.MIN_VALUE;
    } else if (oldest >= from) {
      throw new IllegalStateException("TDLib answered no message older than " + from);
    } else {
      verifiedFrom = oldest;
    }
  }

  /** Every suspect range was asked. */
  boolean exhaustive() {
    return gaps.stream().allMatch(gap -> verifiedFrom <= gap.lower() + 1);
  }

  int requests() {
    return requests;
  }

  List<Long> missing() {
    return List.copyOf(missing);
  }

  /** The missing ids in runs with no archived message between them. */
  List<AuditReport.Hole> holes() {
    List<AuditReport.Hole> holes = new ArrayList<>();
    long from = 0;
    long to = 0;
    int count = 0;
    int place = -1;
    for (long id : missing) {
      int here = -Arrays.binarySearch(archived, id) - 1;
      if (count > 0 && here != place) {
        holes.add(new AuditReport.Hole(from, to, count));
        count = 0;
      }
      if (count == 0) {
        from = id;
      }
      to = id;
      count++;
      place = here;
    }
    if (count > 0) {
      holes.add(new AuditReport.Hole(from, to, count));
    }
    return holes;
  }

  private static long serverId(long messageId) {
    return messageId >> SERVER_ID_SHIFT;
  }

  private static long serverMessageId(long serverId) {
    return serverId << SERVER_ID_SHIFT;
  }
}
