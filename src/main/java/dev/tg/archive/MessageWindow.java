package dev.tg.archive;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of a chat's messages to read: dates in epoch seconds and message ids, each bound inclusive and null when
 * open.
 */
public record MessageWindow(Long sinceDate, Long untilDate, Long sinceId, Long untilId) {
  public static final MessageWindow ALL = new MessageWindow(null, null, null, null);

  /** The window's conditions on the messages aliased {@code m}, each starting with AND. */
  String sql() {
    return (sinceDate == null ? "" : " AND m.date >= ?") + (untilDate == null ? "" : " AND m.date <= ?")
        + (sinceId == null ? "" : " AND m.message_id >= ?") + (untilId == null ? "" : " AND m.message_id <= ?");
  }

  /** The values of {@link #sql()}'s placeholders, in order. */
  List<Object> values() {
    List<Object> values = new ArrayList<>();
    for (Long bound : new Long[] {sinceDate, untilDate, sinceId, untilId}) {
      if (bound != null) {
        values.add(bound);
      }
    }
    return values;
  }
}
