package dev.tg.simulator;

import java.util.List;

/**
 * Ground truth about one message that exists or existed.
 *
 * @param text the current text or caption; empty for content without text
 * @param rawJson the message object as TDLib would return it now
 * @param previousTexts the texts before each edit, oldest first
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
    boolean deleted) {}
