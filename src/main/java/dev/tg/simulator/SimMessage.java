package dev.tg.simulator;

import java.time.Instant;
import java.util.List;

/**
 * Ground truth about one message that exists or existed.
 *
 * @param text the current text or caption; empty for content without text
 * @param rawJson the message object as TDLib would return it now
 * @param previousTexts the texts before each edit, oldest first
 * @param editDates the date of each edit (unix seconds, as {@code edit_date}), the one that replaced
 *     {@code previousTexts[i]} at {@code i}
 * @param deletedAt when the message was deleted; null while it exists
 */
public record SimMessage(
    long id,
    long chatId,
    int date,
    int editDate,
    String contentType,
    String text,
    String rawJson,
    List<String> previousTexts,
    List<Integer> editDates,
    boolean deleted,
    Instant deletedAt) {}
