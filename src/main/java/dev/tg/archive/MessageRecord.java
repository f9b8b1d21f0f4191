package dev.tg.archive;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The columns of a TDLib {@code message} that users query, beside the raw JSON that keeps everything else
 * (new content types appear with every TDLib release, so nothing is dropped).
 */
public record MessageRecord(
    long id,
    long chatId,
    long senderId,
    int date,
    int editDate,
    boolean outgoing,
    String contentType,
    String text,
    long replyToMessageId,
    long mediaAlbumId,
    String rawJson) {

  public static MessageRecord of(JsonNode message) {
    JsonNode sender = message.path("sender_id");
    long senderId = sender.has("user_id") ? sender.path("user_id").asLong() : sender.path("chat_id").asLong();
    JsonNode content = message.path("content");
    return new MessageRecord(
        message.path("id").asLong(),
        message.path("chat_id").asLong(),
        senderId,
        message.path("date").asInt(),
        message.path("edit_date").asInt(),
        message.path("is_outgoing").asBoolean(),
        content.path("@type").asText("messageUnsupported"),
        textOf(content),
        message.path("reply_to").path("message_id").asLong(),
        message.path("media_album_id").asLong(), // an int64, sent as a string
        message.toString());
  }

  /** The text a user would search for: the message text, or the caption of media. */
  public static String textOf(JsonNode content) {
    JsonNode text = content.has("text") ? content.path("text") : content.path("caption");
    if (text.isTextual()) {
      return text.asText();
    }
    JsonNode formatted = text.path("text");
    return formatted.isTextual() ? formatted.asText() : null;
  }
}
