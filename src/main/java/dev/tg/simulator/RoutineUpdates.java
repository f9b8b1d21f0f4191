package dev.tg.simulator;

import java.time.Duration;

/**
 * When the world sends its routine Updating→Ready: about once a period of world time, between three quarters and
 * five quarters of it as the seed draws it; a period of ZERO for never. Not thread-safe: the world calls it under
 * its lock.
 */
final class RoutineUpdates {
  private static final Duration DEFAULT_PERIOD = Duration.ofMinutes(2);

  private final long seed;
  private Duration period = DEFAULT_PERIOD;
  private long nextMillis;
  private long planned;
  private long sent;

  RoutineUpdates(long seed, long fromMillis) {
    this.seed = seed;
    plan(fromMillis);
  }

  void setPeriod(Duration every, long fromMillis) {
    period = every;
    plan(fromMillis);
  }

  /** Whether one is due at {@code nowMillis}; if so it counts as sent, and the next one is planned. */
  boolean due(long nowMillis) {
    if (nextMillis > nowMillis) {
      return false;
    }
    while (nextMillis <= nowMillis) {
      plan(nextMillis);
    }
    sent++;
    return true;
  }

  long sent() {
    return sent;
  }

  private void plan(long fromMillis) {
    if (period.isZero()) {
      nextMillis = Long.MAX_VALUE;
      return;
    }
    double uniform = (Texts.hash(seed, 20, planned++) >>> 11) * 0x1.0p-53;
    nextMillis = fromMillis + Math.round(period.toMillis() * (0.75 + uniform / 2));
  }
}
