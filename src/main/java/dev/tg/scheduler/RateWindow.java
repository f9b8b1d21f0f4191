package dev.tg.scheduler;

import java.util.ArrayDeque;

/**
 * A rate limit that both paces and caps. Grants are spaced evenly at 1/rate on a virtual schedule that forgives
 * a timer firing late by up to one interval (Pekko's timers tick every 10 ms), so lateness does not eat the
 * budget, but that never saves up for a burst after a pause; and a sliding log caps every window of a second,
 * measured a little wider than a second so that the jitter between a grant and the request reaching Telegram
 * cannot squeeze one in.
 */
final class RateWindow {
  private static final long SECOND = 1_000_000_000L;
  private static final long MARGIN_NANOS = 10_000_000;

  private final ArrayDeque<Long> grants = new ArrayDeque<>();
  private long nextDue = Long.MIN_VALUE;

  /** Nanoseconds until one more grant fits under {@code rps}; 0 when it fits now. */
  long waitNanos(long now, double rps) {
    long window = (long) (Math.max(1.0, 1.0 / rps) * SECOND) + MARGIN_NANOS;
    int allowed = (int) Math.max(1, Math.floor(rps * Math.max(1.0, 1.0 / rps)));
    while (!grants.isEmpty() && grants.peekFirst() <= now - window) {
      grants.pollFirst();
    }
    long capWait = 0;
    if (grants.size() >= allowed) {
      // the grant that must leave the window first
      long oldestThatMatters = grants.stream().skip(grants.size() - allowed).findFirst().orElseThrow();
      capWait = oldestThatMatters + window - now;
    }
    long paceWait = nextDue == Long.MIN_VALUE ? 0 : Math.max(0, nextDue - interval(rps) - now);
    return Math.max(capWait, paceWait);
  }

  void record(long now, double rps) {
    grants.addLast(now);
    // a grant late by less than an interval keeps the schedule; after a pause the schedule restarts from now
    boolean onSchedule = nextDue != Long.MIN_VALUE && now - nextDue <= interval(rps);
    nextDue = (onSchedule ? nextDue : now) + interval(rps);
  }

  private static long interval(double rps) {
    return (long) (SECOND / rps);
  }

  /** Grants in the last second, for status. */
  int lastSecond(long now) {
    return (int) grants.stream().filter(t -> t > now - SECOND).count();
  }

  boolean isEmpty(long now) {
    return grants.isEmpty() || grants.peekLast() <= now - 2 * SECOND;
  }
}
