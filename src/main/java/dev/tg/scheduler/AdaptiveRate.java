package dev.tg.scheduler;

import java.time.Duration;

/**
 * The account's request rate, found by probing. A flood wait remembers the rate that flooded as the ceiling and
 * drops to 70% of it; the rate then climbs back in steps to 90% of the ceiling, and the ceiling itself is raised
 * only after a quiet minute, so the node settles just under the account's real limit instead of repeating the
 * flood.
 */
final class AdaptiveRate {
  static final Duration STEP_INTERVAL = Duration.ofSeconds(5);
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(60);
  private static final double MIN_RPS = 0.5;

  private final double configured;
  private double current;
  private double ceiling;
  private long lastChangeNanos;
  private long lastFloodNanos;

  AdaptiveRate(double configured, long now) {
    this.configured = configured;
    this.current = configured;
    this.ceiling = configured;
    this.lastChangeNanos = now;
    this.lastFloodNanos = now;
  }

  double current() {
    return current;
  }

  double configured() {
    return configured;
  }

  void onFlood(long now) {
    ceiling = Math.max(MIN_RPS, current);
    current = Math.max(MIN_RPS, current * 0.7);
    lastChangeNanos = now;
    lastFloodNanos = now;
  }

  /** Called on every tick: one step up when a step interval passed without a flood. */
  void maybeRaise(long now) {
    if (ceiling < configured && now - lastFloodNanos >= PROBE_INTERVAL.toNanos()) {
      ceiling = Math.min(configured, ceiling * 1.05);
      lastFloodNanos = now;
    }
    double target = ceiling >= configured ? configured : ceiling * 0.9;
    if (current < target && now - lastChangeNanos >= STEP_INTERVAL.toNanos()) {
      current = Math.min(target, current + configured * 0.1);
      lastChangeNanos = now;
    }
  }
}
