package dev.tg.scheduler;

import java.util.ArrayDeque;

/**
 * A sliding one-second log of grants: never more than the rate in any window, measured a little wider than a
 * second so that the jitter between a grant and the request reaching Telegram cannot squeeze one extra in.
 */
final class RateWindow {
  private static final long MARGIN_NANOS = 10_000_000;

  private final ArrayDeque<Long> grants = new ArrayDeque<>();

  /** Nanoseconds until one more grant fits under {@code rps}; 0 when it fits now. */
  long waitNanos(long now, double rps) {
    long window = (long) (Math.max(1.0, 1.0 / rps) * 1_000_000_000L) + MARGIN_NANOS;
    int allowed = (int) Math.max(1, Math.floor(rps * Math.max(1.0, 1.0 / rps)));
    while (!grants.isEmpty() && grants.peekFirst() <= now - window) {
      grants.pollFirst();
    }
    if (grants.size() < allowed) {
      return 0;
    }
    // the grant that must leave the window first
    long oldestThatMatters = grants.stream().skip(grants.size() - allowed).findFirst().orElseThrow();
    return oldestThatMatters + window - now;
  }

  void record(long now) {
    grants.addLast(now);
  }

  /** Grants in the last second, for status. */
  int lastSecond(long now) {
    return (int) grants.stream().filter(t -> t > now - 1_000_000_000L).count();
  }

  boolean isEmpty(long now) {
    return grants.isEmpty() || grants.peekLast() <= now - 2_000_000_000L;
  }
}
