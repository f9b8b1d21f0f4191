package dev.tg.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * One archived TDLib message as Telegram Desktop's JSON export writes it ({@code SerializeMessage} in
 * {@code Telegram/SourceFiles/export/output/export_output_json.cpp}, tdesktop commit 929032d5, September 2025):
 * the server's message id, dates in the exporter's local time beside their Unix time, the sender as a name and a
 * peer id, replies, forwards, media ({@link TdesktopMedia}), text as parts, service actions.
 */
final class TdesktopMessage {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_LOCAL_DATE_TIME;
  /** Contents Telegram Desktop writes as {@code "type": "message"}: text and media, with their captions. */
  static final Set<String> MESSAGE_CONTENTS = Set.of("messageText", "messagePhoto", "messageVideo",
      "messageDocument", "messageAudio", "messageAnimation", "messageVoiceNote", "messageVideoNote",
      "messageSticker", "messageLocation", "messageVenue", "messageContact", "messagePoll", "messageDice",
      "messageGame", "messageInvoice", "messageStory", "messagePaidMedia");

  private TdesktopMessage() {}

  /**
   * The export's object for {@code message} in the dialog of {@code dialogChatId}; {@code idShift} is added to
   * server ids (Telegram Desktop writes a basic group's messages in its supergroup's dialog 10^9 lower).
   */
  static ObjectNode of(JsonNode message, long dialogChatId, long idShift, Names names, ZoneId zone,
      ExportedFiles files) {
    ObjectNode out = NODES.objectNode().put("id", Peers.serverId(message.path("id").asLong()) + idShift);
    JsonNode content = message.path("content");
    String contentType = content.path("@type").asText();
    boolean service = ServiceActions.isService(contentType);
    if (!service && !MESSAGE_CONTENTS.contains(contentType)) {
      return out.put("type", "unsupported");
    }
    out.put("type", service ? "service" : "message");
    date(out, "date", message.path("date").asLong(), zone);
    if (message.path("edit_date").asLong() > 0) {
      date(out, "edited", message.path("edit_date").asLong(), zone);
    }
    long sender = senderOf(message);
    if (service) {
      from(out, "actor", sender, names);
      ServiceActions.write(content, out, names, idShift);
    } else {
      from(out, "from", sender, names);
      if (!message.path("author_signature").asText("").isEmpty()) {
        out.put("author", message.path("author_signature").asText());
      }
      forwardedFrom(out, message.path("forward_info").path("origin"), names);
      JsonNode reply = message.path("reply_to");
      if (reply.path("@type").asText().equals("messageReplyToMessage") && reply.path("message_id").asLong() != 0) {
        long replyChat = reply.path("chat_id").asLong();
        boolean here = replyChat == 0 || replyChat == message.path("chat_id").asLong();
        out.put("reply_to_message_id", Peers.serverId(reply.path("message_id").asLong()) + (here ? idShift : 0));
        if (!here && replyChat != dialogChatId) {
          out.put("reply_to_peer_id", Peers.peerId(replyChat));
        }
      }
      if (TdesktopMedia.holdsFile(contentType)) {
        TdesktopMedia.write(out, message, files);
      }
    }
    JsonNode text = service ? NODES.objectNode() : content.has("text") ? content.path("text") : content.path("caption");
    out.set("text", TdesktopText.text(text));
    out.set("text_entities", TdesktopText.entities(text));
    return out;
  }

  /** {@code date} and {@code date_unixtime} (a string, as Telegram Desktop writes it). */
  private static void date(ObjectNode out, String field, long epochSeconds, ZoneId zone) {
    out.put(field, LOCAL.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), zone)));
    out.put(field + "_unixtime", Long.toString(epochSeconds));
  }

  static long senderOf(JsonNode message) {
    JsonNode sender = message.path("sender_id");
    return sender.has("user_id") ? sender.path("user_id").asLong() : sender.path("chat_id").asLong();
  }

  private static void from(ObjectNode out, String field, long sender, Names names) {
    if (sender != 0) {
      String name = names.of(sender);
      if (name == null) {
        out.putNull(field);
      } else {
        out.put(field, name);
      }
      out.put(field + "_id", Peers.peerId(sender));
    }
  }

  private static void forwardedFrom(ObjectNode out, JsonNode origin, Names names) {
    String name = switch (origin.path("@type").asText()) {
      case "messageOriginUser" -> names.of(origin.path("sender_user_id").asLong());
      case "messageOriginHiddenUser" -> origin.path("sender_name").asText(null);
      case "messageOriginChat" -> names.of(origin.path("sender_chat_id").asLong());
      case "messageOriginChannel" -> names.of(origin.path("chat_id").asLong());
      default -> "";
    };
    if (name == null) {
      out.putNull("forwarded_from");
    } else if (!name.isEmpty()) {
      out.put("forwarded_from", name);
    }
  }
}
