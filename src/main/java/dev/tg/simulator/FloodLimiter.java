package dev.tg.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Telegram's server-side flood control over a sliding one-second window, for the account and per chat. A request over
 * the limit, or during a running flood wait, gets a FLOOD_WAIT that doubles while the client keeps flooding. Also the
 * limit of TDLib's own patience: NetQuery.h's total_timeout_limit_, 60 s of flood waits per request.
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

  /** Counts a request reaching the server; returns the FLOOD_WAIT seconds it is answered with, or 0. */
  int admit(long nowMillis, long chatId) {
    if (accountRps <= 0 && perChatRps <= 0) {
      return 0;
    }
    boolean over = isOver(accountWindow, nowMillis, accountRps);
    if (chatId != 0) {
      over |= isOver(chatWindows.computeIfAbsent(chatId, id -> new ArrayDeque<>()), nowMillis, perChatRps);
    }
    if (!over && nowMillis >= floodUntilMillis) {
      floodStreak = 0;
      return 0;
    }
    floodStreak++;
    long remaining = Math.max(0, floodUntilMillis - nowMillis);
    int seconds = (int) Math.max((remaining + 999) / 1000, 1L << Math.min(floodStreak - 1, MAX_DOUBLINGS));
    floodUntilMillis = nowMillis + seconds * 1000L;
    return seconds;
  }

  /** Drops requests older than the window, then records this one; true if the window was already full. */
  private static boolean isOver(ArrayDeque<Long> window, long nowMillis, double limit) {
    while (!window.isEmpty() && window.peekFirst() <= nowMillis - WINDOW_MILLIS) {
      window.pollFirst();
    }
    boolean over = limit > 0 && window.size() >= limit;
    window.addLast(nowMillis);
    return over;
  }
}
