package dev.tg.cli;

import dev.tg.archive.MessageWindow;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Option;

/**
 * {@code --since} and {@code --until}, both inclusive: a message id (as {@code history --json} prints it), a date
 * (the whole day, in the local time zone), a local date and time, or an instant with its offset.
 */
final class WindowOptions {
  @Option(names = "--since", paramLabel = "DATE|ID",
      description = "From this message id, date (2024-01-31), local time (2024-01-31T18:00) or instant on.")
  String since;

  @Option(names = "--until", paramLabel = "DATE|ID",
      description = "Up to this message id, date (the whole day), local time or instant, included.")
  String until;

  MessageWindow window(ZoneId zone) {
    Bound from = parse("--since", since, zone, false);
    Bound to = parse("--until", until, zone, true);
    return new MessageWindow(from.date(), to.date(), from.messageId(), to.messageId());
  }

  private record Bound(Long date, Long messageId) {}

  private static Bound parse(String option, String text, ZoneId zone, boolean end) {
    if (text == null) {
      return new Bound(null, null);
    }
    String value = text.strip();
    if (value.matches("\\d{1,19}")) {
      return new Bound(null, Long.parseLong(value));
    }
    try {
      if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
        LocalDate day = LocalDate.parse(value);
        return new Bound(end ? day.plusDays(1).atStartOfDay(zone).toEpochSecond() - 1
            : day.atStartOfDay(zone).toEpochSecond(), null);
      }
      if (value.endsWith("Z") || value.matches(".*[+-]\\d{2}:\\d{2}$")) {
        return new Bound(OffsetDateTime.parse(value).toEpochSecond(), null);
      }
      return new Bound(LocalDateTime.parse(value).atZone(zone).toEpochSecond(), null);
    } catch (DateTimeParseException e) {
      throw CommandFailed.usage(option + " " + text + " is neither a message id nor a date (2024-01-31, "
          + "2024-01-31T18:00, 2024-01-31T18:00:00Z)");
    }
  }
}
