package dev.tg.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Service messages both ways: TDLib's service contents and Telegram Desktop's {@code action}s with their fields
 * ({@code SerializeMessage} in {@code export_output_json.cpp}). Exports name members, not ids, so an imported
 * member list is empty.
 */
final class ServiceActions {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Map<String, String> ACTIONS = Map.ofEntries(
      Map.entry("messageBasicGroupChatCreate", "create_group"),
      Map.entry("messageSupergroupChatCreate", "create_channel"),
      Map.entry("messageChatChangeTitle", "edit_group_title"),
      Map.entry("messageChatChangePhoto", "edit_group_photo"),
      Map.entry("messageChatDeletePhoto", "delete_group_photo"),
      Map.entry("messageChatAddMembers", "invite_members"),
      Map.entry("messageChatJoinByLink", "join_group_by_link"),
      Map.entry("messageChatJoinByRequest", "join_group_by_request"),
      Map.entry("messageChatDeleteMember", "remove_members"),
      Map.entry("messageChatUpgradeTo", "migrate_to_supergroup"),
      Map.entry("messageChatUpgradeFrom", "migrate_from_group"),
      Map.entry("messagePinMessage", "pin_message"),
      Map.entry("messageScreenshotTaken", "take_screenshot"),
      Map.entry("messageChatSetMessageAutoDeleteTime", "set_messages_ttl"),
      Map.entry("messageCall", "phone_call"),
      Map.entry("messageContactRegistered", "joined_telegram"),
      Map.entry("messageGameScore", "score_in_game"));
  private static final Map<String, String> DISCARD_REASONS = Map.of(
      "callDiscardReasonMissed", "missed", "callDiscardReasonDeclined", "busy",
      "callDiscardReasonDisconnected", "disconnect", "callDiscardReasonHungUp", "hangup");

  private ServiceActions() {}

  static boolean isService(String contentType) {
    return ACTIONS.containsKey(contentType);
  }

  /**
   * Writes the action of a TDLib service content, and its fields, into an export's message; {@code idShift} moves
   * message ids as the message's own id was moved (a basic group's messages in its supergroup's export).
   */
  static void write(JsonNode content, ObjectNode out, Names names, long idShift) {
    String type = content.path("@type").asText();
    out.put("action", ACTIONS.get(type));
    switch (type) {
      case "messageBasicGroupChatCreate" -> {
        out.put("title", content.path("title").asText());
        members(out, content.path("member_user_ids"), names);
      }
      case "messageSupergroupChatCreate", "messageChatChangeTitle", "messageChatUpgradeFrom" ->
          out.put("title", content.path("title").asText());
      case "messageChatAddMembers" -> members(out, content.path("member_user_ids"), names);
      case "messageChatDeleteMember" -> members(out, NODES.arrayNode().add(content.path("user_id")), names);
      case "messageChatJoinByLink" -> out.putNull("inviter");
      case "messagePinMessage" -> out.put("message_id", Peers.serverId(content.path("message_id").asLong()) + idShift);
      case "messageChatSetMessageAutoDeleteTime" ->
          out.put("period", content.path("message_auto_delete_time").asInt());
      case "messageCall" -> {
        if (content.path("duration").asInt() > 0) {
          out.put("duration_seconds", content.path("duration").asInt());
        }
        String reason = DISCARD_REASONS.get(content.path("discard_reason").path("@type").asText());
        if (reason != null) {
          out.put("discard_reason", reason);
        }
      }
      case "messageGameScore" -> out.put("game_message_id",
          Peers.serverId(content.path("game_message_id").asLong()) + idShift)
          .put("score", content.path("score").asInt());
      default -> { }
    }
  }

  private static void members(ObjectNode out, JsonNode userIds, Names names) {
    ArrayNode members = out.putArray("members");
    userIds.forEach(id -> members.add(names.of(id.asLong())));
  }

  /** The TDLib content of an export's service message; an action TDLib has no content for is unsupported. */
  static ObjectNode content(JsonNode message, long idShift) {
    String action = message.path("action").asText();
    String type = ACTIONS.entrySet().stream().filter(entry -> entry.getValue().equals(action))
        .map(Map.Entry::getKey).findFirst().orElse("messageUnsupported");
    ObjectNode content = NODES.objectNode().put("@type", type);
    switch (type) {
      case "messageBasicGroupChatCreate" -> content.put("title", message.path("title").asText("")).putArray(
          "member_user_ids");
      case "messageSupergroupChatCreate", "messageChatChangeTitle" ->
          content.put("title", message.path("title").asText(""));
      case "messageChatUpgradeFrom" -> content.put("title", message.path("title").asText(""))
          .put("basic_group_id", 0);
      case "messageChatUpgradeTo" -> content.put("supergroup_id", 0);
      case "messageChatAddMembers" -> content.putArray("member_user_ids");
      case "messageChatDeleteMember" -> content.put("user_id", 0);
      case "messagePinMessage" ->
          content.put("message_id", Peers.messageId(message.path("message_id").asLong() - idShift));
      case "messageChatSetMessageAutoDeleteTime" ->
          content.put("message_auto_delete_time", message.path("period").asInt()).put("from_user_id", 0);
      case "messageCall" -> {
        content.put("unique_id", "0").put("is_video", false).put("duration",
            message.path("duration_seconds").asInt());
        String reason = DISCARD_REASONS.entrySet().stream()
            .filter(entry -> entry.getValue().equals(message.path("discard_reason").asText()))
            .map(Map.Entry::getKey).findFirst().orElse("callDiscardReasonEmpty");
        content.putObject("discard_reason").put("@type", reason);
      }
      case "messageGameScore" -> content.put("game_message_id",
              Peers.messageId(message.path("game_message_id").asLong() - idShift))
          .put("game_id", "0").put("score", message.path("score").asInt());
      default -> { }
    }
    return content;
  }
}
