package dev.tg.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * One message of a Telegram Desktop export as a TDLib {@code message}, as far as the export tells: the id (the
 * server's, shifted into TDLib's), dates, sender, reply, forward, signature, and the content with its text and
 * entities. Media become their TDLib content type with the caption only; a service action becomes its TDLib
 * content. The export's own JSON is kept beside it ({@code imported_messages.export_json}).
 */
final class ImportedMessage {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ImportedMessage() {}

  /** Where the message goes: its chat, its server id there, and who the account's own user is (0: unknown). */
  record Target(long chatId, long serverId, long idShift, long selfUserId) {}

  /** The server id the export gives, which may be shifted (a basic group's message in its supergroup's export). */
  static long exportedId(JsonNode message) {
    JsonNode id = message.path("id");
    if (!id.canConvertToLong()) {
      throw new BadExport("a message without a numeric id");
    }
    return id.asLong();
  }

  /** Telegram Desktop writes a message it could not read as only its id and {@code "type": "unsupported"}. */
  static boolean isUnsupported(JsonNode exported) {
    return exported.path("type").asText().equals("unsupported");
  }

  static ObjectNode toTdlib(JsonNode exported, Target target, ZoneId zone) {
    ObjectNode message = NODES.objectNode().put("@type", "message")
        .put("id", Peers.messageId(target.serverId()))
        .put("chat_id", target.chatId());
    String type = exported.path("type").asText();
    if (!type.equals("message") && !type.equals("service")) {
      throw new BadExport("message " + exportedId(exported) + " has the unknown type \"" + type + "\"");
    }
    long sender = senderOf(exported, type.equals("service") ? "actor_id" : "from_id");
    if (sender != 0) {
      ObjectNode senderId = message.putObject("sender_id");
      if (Peers.kind(sender) == Peers.Kind.USER) {
        senderId.put("@type", "messageSenderUser").put("user_id", sender);
      } else {
        senderId.put("@type", "messageSenderChat").put("chat_id", sender);
      }
    }
    boolean outgoing = sender != 0 && (sender == target.selfUserId()
        || Peers.kind(target.chatId()) == Peers.Kind.USER && sender != target.chatId());
    message.put("date", date(exported, "date", zone))
        .put("edit_date", exported.has("edited") || exported.has("edited_unixtime")
            ? date(exported, "edited", zone) : 0)
        .put("is_outgoing", outgoing)
        .put("author_signature", exported.path("author").asText(""))
        .put("media_album_id", "0");
    if (exported.path("reply_to_message_id").canConvertToLong()) {
      boolean elsewhere = exported.has("reply_to_peer_id");
      long replyChat = elsewhere ? Peers.chatIdOfPeer(exported.path("reply_to_peer_id").asText()) : target.chatId();
      message.putObject("reply_to").put("@type", "messageReplyToMessage").put("chat_id", replyChat)
          .put("message_id", Peers.messageId(exported.path("reply_to_message_id").asLong()
              - (elsewhere ? 0 : target.idShift())));
    }
    if (exported.path("forwarded_from").isTextual()) {
      ObjectNode forward = message.putObject("forward_info").put("@type", "messageForwardInfo");
      forward.putObject("origin").put("@type", "messageOriginHiddenUser")
          .put("sender_name", exported.path("forwarded_from").asText());
      forward.put("date", message.path("date").asInt()).put("public_service_announcement_type", "");
    }
    message.set("content", type.equals("service") ? ServiceActions.content(exported, target.idShift())
        : content(exported));
    return message;
  }

  /** The sender's TDLib id: {@code user42} is 42, {@code channel42} is -1000000000042; 0 when none. */
  private static long senderOf(JsonNode exported, String field) {
    JsonNode from = exported.path(field);
    if (from.isMissingNode() || from.isNull()) {
      return 0;
    }
    try {
      return from.canConvertToLong() ? from.asLong() : Peers.chatIdOfPeer(from.asText());
    } catch (NumberFormatException e) {
      throw new BadExport("message " + exportedId(exported) + " has the unreadable " + field + " \"" + from.asText()
          + "\"");
    }
  }

  /** A date as Unix time: {@code <field>_unixtime}, or (exports before June 2022) the local time it was written in. */
  private static int date(JsonNode exported, String field, ZoneId zone) {
    JsonNode unix = exported.path(field + "_unixtime");
    try {
      if (!unix.isMissingNode()) {
        return Integer.parseInt(unix.asText());
      }
      if (exported.path(field).isTextual()) {
        return (int) LocalDateTime.parse(exported.path(field).asText()).atZone(zone).toEpochSecond();
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new BadExport("message " + exportedId(exported) + " has the unreadable " + field + " "
          + (unix.isMissingNode() ? exported.path(field) : unix));
    }
    throw new BadExport("message " + exportedId(exported) + " has no " + field);
  }

  /** Text, or the media kind the export names with its caption and details (the file itself is not imported). */
  private static ObjectNode content(JsonNode exported) {
    String type = exported.has("photo") ? "messagePhoto"
        : exported.has("poll") ? "messagePoll"
        : exported.has("contact_information") ? "messageContact"
        : exported.has("place_name") ? "messageVenue"
        : exported.has("location_information") ? "messageLocation"
        : exported.has("file") ? switch (exported.path("media_type").asText()) {
          case "sticker" -> "messageSticker";
          case "voice_message" -> "messageVoiceNote";
          case "video_message" -> "messageVideoNote";
          case "animation" -> "messageAnimation";
          case "video_file" -> "messageVideo";
          case "audio_file" -> "messageAudio";
          default -> "messageDocument";
        }
        : "messageText";
    ObjectNode content = NODES.objectNode().put("@type", type);
    TdesktopMedia.read(exported, type, content);
    ObjectNode text = TdesktopText.formattedText(exported);
    if (type.equals("messageText")) {
      content.set("text", text);
    } else if (!text.path("text").asText().isEmpty()) {
      content.set("caption", text);
    }
    return content;
  }
}
