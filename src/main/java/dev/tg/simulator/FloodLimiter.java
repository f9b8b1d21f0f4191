package dev.tg.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Telegram's server-side flood control over a sliding one-second window, for the account and per chat. A request over
 * the limit gets a FLOOD_WAIT, requests during it what is left of it, and the wait doubles while the client keeps
 * flooding right after each one. Also the limit of TDLib's own patience: NetQuery.h's total_timeout_limit_, 60 s of
 * flood waits per request.
 */
final class FloodLimiter {
  private static final long WINDOW_MILLIS = 1000;
  private static final int MAX_DOUBLINGS = 9;

  private double accountRps;
  private double perChatRps;
  private Duration totalWaitLimit = Duration.ofSeconds(60);
  private final ArrayDeque<Long> accountWindow = new ArrayDeque<>();
  private final Map<Long, ArrayDeque<Long>> chatWindows = new HashMap<>();
  private long floodUntilMillis;
  private int floodStreak;

  void setLimits(double accountRequestsPerSecond, double perChatRequestsPerSecond) {
    accountRps = accountRequestsPerSecond;
    perChatRps = perChatRequestsPerSecond;
  }

  void setTotalWaitLimit(Duration limit) {
    totalWaitLimit = limit;
  }

  /** Whether TDLib sits out flood waits of this many seconds in all for one request rather than answer 429. */
  boolean tdlibWaits(int totalSeconds) {
    return totalSeconds <= totalWaitLimit.toSeconds();
  }

  /**
   * Counts a request reaching the server; returns the FLOOD_WAIT seconds it is answered with, or 0. Every request
   * during a running flood wait is told what is left of it; a flood that starts within a second of the last one
   * ending waits twice as long, so a client that floods again right after its wait is held ever longer. Only the
   * requests served fill the window.
   */
  int admit(long nowMillis, long chatId) {
    if (accountRps <= 0 && perChatRps <= 0) {
      return 0;
    }
    if (nowMillis < floodUntilMillis) {
      return (int) ((floodUntilMillis - nowMillis + 999) / 1000);
    }
    ArrayDeque<Long> chatWindow = chatId == 0 ? null : chatWindows.computeIfAbsent(chatId, id -> new ArrayDeque<>());
    boolean over = isFull(accountWindow, nowMillis, accountRps)
        || chatWindow != null && isFull(chatWindow, nowMillis, perChatRps);
    boolean rightAfterFlood = nowMillis - floodUntilMillis <= WINDOW_MILLIS;
    if (!over) {
      accountWindow.addLast(nowMillis);
      if (chatWindow != null) {
        chatWindow.addLast(nowMillis);
      }
      floodStreak = rightAfterFlood ? floodStreak : 0;
      return 0;
    }
    floodStreak = rightAfterFlood ? floodStreak + 1 : 1;
    int seconds = 1 << Math.min(floodStreak - 1, MAX_DOUBLINGS);
    floodUntilMillis = nowMillis + seconds * 1000L;
    return seconds;
  }

  /** Drops requests older than the window; true if it holds as many as the limit. */
  private static boolean isFull(ArrayDeque<Long> window, long nowMillis, double limit) {
    while (!window.isEmpty() && window.peekFirst() <= nowMillis - WINDOW_MILLIS) {
      window.pollFirst();
    }
    return limit > 0 && window.size() >= limit;
  }
}
