package dev.tg.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When the node under test could hear Telegram: each run from the moment its status first said the connection was
 * ready to the moment it was killed or stopped. A change the world made outside these spans (or within
 * {@link #CRASH_MARGIN} of an end, where a change heard may not be written yet) could only be seen again by reading
 * the history: after a restart, the re-sweep.
 */
record NodeRuns(List<Run> runs) {
  static final NodeRuns UNKNOWN = new NodeRuns(List.of());
  /** Live changes are written in well under this; a change heard closer to a kill may be lost with the process. */
  static final Duration CRASH_MARGIN = Duration.ofSeconds(2);

  /** One node process; {@code readyAt} is null if its connection was never seen ready. */
  record Run(Instant startedAt, Instant readyAt, Instant endedAt) {
    boolean heard(long fromMillis, long toMillis) {
      return readyAt != null && readyAt.toEpochMilli() <= fromMillis
          && toMillis <= endedAt.minus(CRASH_MARGIN).toEpochMilli();
    }
  }

  NodeRuns {
    runs = List.copyOf(runs);
  }

  /** Whether the node was running and connected during the whole of {@code [fromMillis, toMillis]}. */
  boolean heard(long fromMillis, long toMillis) {
    return runs.stream().anyMatch(run -> run.heard(fromMillis, toMillis));
  }

  /** The last run, whose re-sweep had time to finish (the harness waits for it to settle); null if unknown. */
  Run last() {
    return runs.isEmpty() ? null : runs.get(runs.size() - 1);
  }

  void write(Path file) {
    StringBuilder text = new StringBuilder("# started ready ended, one node run a line (written by crash-test)\n");
    for (Run run : runs) {
      text.append(run.startedAt()).append(' ').append(run.readyAt() == null ? "-" : run.readyAt()).append(' ')
          .append(run.endedAt()).append('\n');
    }
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static NodeRuns read(Path file) {
    List<Run> runs = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] fields = line.trim().split(" ");
        runs.add(new Run(Instant.parse(fields[0]), fields[1].equals("-") ? null : Instant.parse(fields[1]),
            Instant.parse(fields[2])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return new NodeRuns(runs);
  }
}
