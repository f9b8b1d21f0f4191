package dev.tg.cli;

import dev.tg.archive.ArchiveReader.MessageRow;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How a message reads on a terminal: {@code 2024-01-15 10:30  Anna: text}, in the local time zone. */
final class Messages {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private Messages() {}

  static String line(MessageRow message, boolean withChat, ZoneId zone) {
    StringBuilder line = new StringBuilder(TIME.format(message.date().atZone(zone))).append("  ");
    if (withChat) {
      line.append('[').append(message.chatTitle() == null ? Long.toString(message.chatId()) : message.chatTitle())
          .append("] ");
    }
    line.append(message.outgoing() ? "me" : message.senderName() != null ? message.senderName()
        : message.senderId() == null ? "?" : Long.toString(message.senderId())).append(": ");
    if (message.text() != null && !message.text().isEmpty()) {
      line.append(Text.oneLine(message.text()));
      if (!"messageText".equals(message.contentType())) {
        line.append(" [").append(kind(message.contentType())).append(']');
      }
    } else {
      line.append('[').append(kind(message.contentType())).append(']');
    }
    if (message.editDate() != null) {
      line.append(" (edited)");
    }
    if (message.deleted()) {
      line.append(" (deleted)");
    }
    return line.toString();
  }

  /** {@code messagePhoto} reads as {@code photo}. */
  static String kind(String contentType) {
    if (contentType == null) {
      return "unknown";
    }
    String kind = contentType.startsWith("message") ? contentType.substring("message".length()) : contentType;
    return kind.isEmpty() ? contentType : Character.toLowerCase(kind.charAt(0)) + kind.substring(1);
  }
}
