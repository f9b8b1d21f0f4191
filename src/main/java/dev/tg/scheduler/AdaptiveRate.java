package dev.tg.scheduler;

import java.time.Duration;

/**
 * The account's request rate, found by probing: a flood wait halves it and remembers the rate that flooded;
 * it then climbs back in steps to just under that ceiling, and probes above it only rarely, so the node settles
 * under the account's real limit instead of repeating the flood.
 */
final class AdaptiveRate {
  static final Duration STEP_INTERVAL = Duration.ofSeconds(5);
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(60);
  private static final double MIN_RPS = 0.5;

  private final double configured;
  private double current;
  private double ceiling;
  private long lastChangeNanos;
  private long lastProbeNanos;

  AdaptiveRate(double configured, long now) {
    this.configured = configured;
    this.current = configured;
    this.ceiling = configured;
    this.lastChangeNanos = now;
    this.lastProbeNanos = now;
  }

  double current() {
    return current;
  }

  double configured() {
    return configured;
  }

  void onFlood(long now) {
    ceiling = current;
    current = Math.max(MIN_RPS, current / 2);
    lastChangeNanos = now;
    lastProbeNanos = now;
  }

  /** Called on every tick: one step up when a step interval passed without a flood. */
  void maybeRaise(long now) {
    if (now - lastProbeNanos >= PROBE_INTERVAL.toNanos() && ceiling < configured) {
      ceiling = Math.min(configured, ceiling * 1.1);
      lastProbeNanos = now;
    }
    double target = ceiling >= configured ? configured : ceiling * 0.9;
    if (current < target && now - lastChangeNanos >= STEP_INTERVAL.toNanos()) {
      current = Math.min(target, current + configured * 0.1);
      lastChangeNanos = now;
    }
  }
}
