package dev.tg.scheduler;

import java.time.Duration;

/**
 * The account's request rate, found by probing. A flood wait keeps the lowest rate that flooded as the ceiling
 * and drops to half of it (to 80% when TDLib only had to wait a short flood out itself); the rate then climbs back in halving steps to 90% of the ceiling, and the ceiling
 * itself is raised only after a quiet minute, so the node settles just under the account's real limit instead
 * of repeating the flood.
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

  double ceiling() {
    return ceiling;
  }

  /** How Telegram said the rate was too high. */
  enum Signal {
    /** 429: a flood wait longer than TDLib waits by itself. */
    FLOOD_WAIT(0.5),
    /** A slow answer: TDLib waited a short flood wait out before answering. */
    SLOW_ANSWER(0.8);

    private final double keep;

    Signal(double keep) {
      this.keep = keep;
    }
  }

  void onFlood(long now, Signal signal) {
    ceiling = Math.max(MIN_RPS, Math.min(ceiling, current));
    current = Math.max(MIN_RPS, ceiling * signal.keep);
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
      // half the way each step: quick from far below, careful near the ceiling
      current = Math.min(target, current + Math.max(0.1, (target - current) / 2));
      lastChangeNanos = now;
    }
  }
}
