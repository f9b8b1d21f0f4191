package dev.tg.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.archive.ArchiveReader.ChatRow;
import dev.tg.http.HttpJson;
import dev.tg.status.Status;
import java.util.List;
import java.util.Locale;

/**
 * One chat as {@code tg chats} shows it, from the running node ({@code GET /chats}) or, when the node is down,
 * from the archive's {@code chat_sync_state}; {@code source} says which.
 */
record ChatLine(
    String account,
    long chatId,
    String title,
    String chatType,
    Integer memberCount,
    String priority,
    boolean enabled,
    String state,
    boolean historyComplete,
    long syncedMessages,
    long totalMessages,
    Long coveredFrom,
    Long coveredTo,
    Double messagesPerSecond,
    Long etaSeconds,
    Integer queuePosition,
    Status.ChatMedia media,
    String source) {

  static final List<String> PRIORITIES = List.of("P0", "P1", "P2", "P3", "P4");

  /** A chat view of {@code GET /chats} (docs/http-api.md). */
  static ChatLine fromNode(JsonNode view) {
    JsonNode progress = view.path("progress");
    return new ChatLine(
        view.path("account").asText(),
        progress.path("chat_id").asLong(),
        progress.path("title").asText(),
        progress.path("chat_type").asText(),
        progress.path("member_count").isNumber() ? progress.path("member_count").asInt() : null,
        progress.path("priority").asText(),
        progress.path("enabled").asBoolean(),
        view.path("state").asText(),
        progress.path("history_complete").asBoolean(),
        progress.path("archived_messages").asLong(),
        Math.max(progress.path("known_total").asLong(), progress.path("archived_messages").asLong()),
        nonZero(view.path("covered_from").asLong()),
        nonZero(view.path("covered_to").asLong()),
        view.path("messages_per_second").asDouble(),
        view.path("eta_seconds").isNumber() ? view.path("eta_seconds").asLong() : null,
        view.path("queue_position").isNumber() ? view.path("queue_position").asInt() : null,
        media(view.path("media")),
        "node");
  }

  /** A chat as the archive last recorded it; a chat the sync never looked at is {@code not_synced}. */
  static ChatLine fromArchive(ChatRow row, Status.ChatMedia media) {
    String state;
    if (row.access() != null && !row.access().equalsIgnoreCase("active")) {
      state = row.access().toLowerCase(Locale.ROOT);
    } else if (row.enabled() == null || !row.enabled()) {
      state = "not_synced";
    } else {
      state = Boolean.TRUE.equals(row.historyComplete()) ? "complete" : "in_progress";
    }
    long synced = row.syncedMessages() == null ? row.archivedMessages() : row.syncedMessages();
    return new ChatLine(
        row.account(),
        row.chatId(),
        row.title(),
        row.chatType(),
        row.memberCount(),
        row.priority() == null ? null : "P" + row.priority(),
        Boolean.TRUE.equals(row.enabled()),
        state,
        Boolean.TRUE.equals(row.historyComplete()),
        synced,
        Math.max(synced, row.totalMessages() == null ? 0 : row.totalMessages()),
        row.backwardCursor(),
        row.forwardCursor(),
        null,
        null,
        null,
        media,
        "archive");
  }

  /** The {@code media} object of a chat view; null when absent. */
  static Status.ChatMedia media(JsonNode media) {
    try {
      return media.isObject() ? HttpJson.MAPPER.treeToValue(media, Status.ChatMedia.class) : null;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the node's chat view has a media object of another shape: " + media, e);
    }
  }

  /** {@code 12/30}: files stored of those the policy selects; "-" when the chat has none. */
  static String mediaCell(Status.ChatMedia media) {
    long selected = media == null ? 0 : media.storedFiles() + media.waitingFiles() + media.failedFiles();
    return selected == 0 ? "-" : media.storedFiles() + "/" + selected;
  }

  private static Long nonZero(long value) {
    return value == 0 ? null : value;
  }
}
