package dev.tg.archive;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Logs an error once, then how often the same message came again (at most once a minute), instead of once each
 * time: a disk that stays full must not fill the log too.
 */
final class RepeatedErrors {
  private static final Duration SUMMARY_EVERY = Duration.ofMinutes(1);

  private final Logger log;
  private String last;
  private long repeats;
  private Instant summarizedAt = Instant.EPOCH;

  RepeatedErrors(Logger log) {
    this.log = log;
  }

  /** {@code failure} may be null; its stack trace is logged the first time only. */
  synchronized void error(String message, Throwable failure) {
    Instant now = Instant.now();
    if (!message.equals(last)) {
      summarize();
      last = message;
      summarizedAt = now;
      if (failure == null) {
        log.error(message);
      } else {
        log.error(message, failure);
      }
      return;
    }
    repeats++;
    if (Duration.between(summarizedAt, now).compareTo(SUMMARY_EVERY) >= 0) {
      summarize();
      summarizedAt = now;
    }
  }

  private void summarize() {
    if (repeats > 0) {
      log.error("{} (again {} time(s) since)", last, repeats);
      repeats = 0;
    }
  }
}
