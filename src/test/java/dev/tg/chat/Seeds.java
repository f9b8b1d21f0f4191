package dev.tg.chat;

import java.util.stream.LongStream;

/**
 * The seeds of a randomized test: {@code tries} of them by default, {@code -Dtg.property.tries=N} for a long run,
 * {@code -Dtg.property.seed=S} to replay the one a failure names.
 */
final class Seeds {
  private Seeds() {}

  static long[] of(int tries) {
    String replay = System.getProperty("tg.property.seed");
    if (replay != null && !replay.isBlank()) {
      return new long[] {Long.parseLong(replay.strip())};
    }
    return LongStream.rangeClosed(1, Long.getLong("tg.property.tries", tries)).toArray();
  }
}
