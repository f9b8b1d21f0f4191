package dev.tg.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** TDLib API objects as JSON, shaped as TDLib 1.8.65 prints them: int64 as strings, null fields left out. */
final class TdObjects {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String VERSION = "1.8.65";

  private TdObjects() {}

  static ObjectNode object(String type) {
    return JSON.createObjectNode().put("@type", type);
  }

  static ObjectNode ok() {
    return object("ok");
  }

  static ObjectNode error(int code, String message) {
    return object("error").put("code", code).put("message", message);
  }

  static ObjectNode update(String type, String field, ObjectNode value) {
    ObjectNode update = object(type);
    update.set(field, value);
    return update;
  }

  static ObjectNode formattedText(String text) {
    ObjectNode formatted = object("formattedText").put("text", text);
    formatted.putArray("entities");
    return formatted;
  }

  static ObjectNode file(long hash, int size) {
    ObjectNode local = object("localFile")
        .put("path", "")
        .put("can_be_downloaded", true)
        .put("can_be_deleted", false)
        .put("is_downloading_active", false)
        .put("is_downloading_completed", false)
        .put("download_offset", 0)
        .put("downloaded_prefix_size", 0)
        .put("downloaded_size", 0);
    ObjectNode remote = object("remoteFile")
        .put("id", "BQACAgIAAxkBAAE" + Long.toHexString(hash))
        .put("unique_id", "AgAD" + Long.toHexString(hash >>> 16))
        .put("is_uploading_active", false)
        .put("is_uploading_completed", true)
        .put("uploaded_size", size);
    ObjectNode file = object("file").put("id", 1 + Texts.pick(hash, 1_000_000)).put("size", size).put("expected_size", size);
    file.set("local", local);
    file.set("remote", remote);
    return file;
  }

  static ObjectNode optionString(String value) {
    return object("optionValueString").put("value", value);
  }

  static ObjectNode optionInteger(long value) {
    return object("optionValueInteger").put("value", Long.toString(value));
  }

  static ObjectNode updateOption(String name, ObjectNode value) {
    ObjectNode update = object("updateOption").put("name", name);
    update.set("value", value);
    return update;
  }

  static ObjectNode connectionState(String state) {
    return update("updateConnectionState", "state", object(state));
  }

  static ObjectNode user(SimUser user) {
    ObjectNode node = object("user")
        .put("id", user.id())
        .put("first_name", user.firstName())
        .put("last_name", user.lastName());
    if (user.username() != null) {
      ObjectNode usernames = object("usernames");
      usernames.putArray("active_usernames").add(user.username());
      usernames.putArray("disabled_usernames");
      usernames.put("editable_username", user.username());
      node.set("usernames", usernames);
    }
    node.put("phone_number", user.phoneNumber());
    node.set("status", object("userStatusRecently").put("by_my_privacy_settings", false));
    return node
        .put("accent_color_id", Texts.pick(user.id(), 7))
        .put("background_custom_emoji_id", "0")
        .put("profile_accent_color_id", -1)
        .put("profile_background_custom_emoji_id", "0")
        .put("is_contact", user.contact())
        .put("is_mutual_contact", user.mutualContact())
        .put("is_close_friend", false)
        .put("is_premium", false)
        .put("is_support", false)
        .put("has_active_stories", false)
        .put("has_unread_active_stories", false)
        .put("restricts_new_chats", false)
        .put("have_access", true)
        .<ObjectNode>set("type", object("userTypeRegular"))
        .put("language_code", "")
        .put("added_to_attachment_menu", false);
  }

  static ObjectNode chatPosition(long order) {
    ObjectNode position = object("chatPosition");
    position.set("list", object("chatListMain"));
    return position.put("order", Long.toString(order)).put("is_pinned", false);
  }

  static ObjectNode updateChatPosition(long chatId, long order) {
    ObjectNode update = object("updateChatPosition").put("chat_id", chatId);
    update.set("position", chatPosition(order));
    return update;
  }

  static ObjectNode chatType(WorldChat chat) {
    return switch (chat.kind) {
      case PRIVATE -> object("chatTypePrivate").put("user_id", chat.partnerUserId);
      case SECRET -> object("chatTypeSecret").put("secret_chat_id", chat.entityId).put("user_id", chat.partnerUserId);
      case BASIC_GROUP -> object("chatTypeBasicGroup").put("basic_group_id", chat.entityId);
      case SUPERGROUP, CHANNEL -> object("chatTypeSupergroup")
          .put("supergroup_id", chat.entityId)
          .put("is_channel", chat.kind == ChatKind.CHANNEL);
    };
  }

  static ObjectNode chat(WorldChat chat, ObjectNode lastMessage, int unreadCount, long lastReadInboxId) {
    ObjectNode node = object("chat").put("id", chat.id);
    node.set("type", chatType(chat));
    node.put("title", chat.title)
        .put("accent_color_id", Texts.pick(chat.id, 7))
        .put("background_custom_emoji_id", "0")
        .put("profile_accent_color_id", -1)
        .put("profile_background_custom_emoji_id", "0");
    if (lastMessage != null) {
      node.set("last_message", lastMessage);
    }
    ArrayNode positions = node.putArray("positions");
    if (!chat.deleted) {
      positions.add(chatPosition(chat.order()));
    }
    node.putArray("chat_lists");
    return node
        .put("has_protected_content", false)
        .put("is_translatable", false)
        .put("is_marked_as_unread", false)
        .put("view_as_topics", false)
        .put("has_scheduled_messages", false)
        .put("can_be_deleted_only_for_self", true)
        .put("can_be_deleted_for_all_users", chat.kind == ChatKind.PRIVATE)
        .put("can_be_reported", chat.kind != ChatKind.SECRET)
        .put("default_disable_notification", false)
        .put("unread_count", unreadCount)
        .put("last_read_inbox_message_id", lastReadInboxId)
        .put("last_read_outbox_message_id", lastReadInboxId)
        .put("unread_mention_count", 0)
        .put("unread_reaction_count", 0)
        .put("message_auto_delete_time", 0)
        .put("reply_markup_message_id", 0)
        .put("client_data", "");
  }

  static ObjectNode basicGroup(WorldChat chat, long upgradedToSupergroupId) {
    ObjectNode node = object("basicGroup").put("id", chat.entityId).put("member_count", chat.memberCount);
    node.set("status", memberStatus(chat));
    return node.put("is_active", !chat.upgradedAway).put("upgraded_to_supergroup_id", upgradedToSupergroupId);
  }

  static ObjectNode supergroup(WorldChat chat, int date) {
    ObjectNode node = object("supergroup").put("id", chat.entityId).put("date", date);
    node.set("status", memberStatus(chat));
    return node
        .put("member_count", chat.memberCountHidden ? 0 : chat.memberCount)
        .put("boost_level", 0)
        .put("has_linked_chat", false)
        .put("has_location", false)
        .put("sign_messages", false)
        .put("show_message_sender", false)
        .put("join_to_send_messages", false)
        .put("join_by_request", false)
        .put("is_slow_mode_enabled", false)
        .put("is_channel", chat.kind == ChatKind.CHANNEL)
        .put("is_broadcast_group", false)
        .put("is_forum", false)
        .put("is_direct_messages_group", false)
        .put("is_administered_direct_messages_group", false)
        .put("is_verified", false)
        .put("has_direct_messages_group", false)
        .put("has_forum_tabs", false)
        .put("has_sensitive_content", false)
        .put("has_active_stories", false)
        .put("has_unread_active_stories", false);
  }

  static ObjectNode supergroupFullInfo(WorldChat chat, long upgradedFromBasicGroupId, long upgradedFromMaxMessageId) {
    return object("supergroupFullInfo")
        .put("description", "")
        .put("member_count", chat.memberCount)
        .put("administrator_count", Math.min(chat.memberCount, 3))
        .put("restricted_count", 0)
        .put("banned_count", 0)
        .put("linked_chat_id", 0)
        .put("slow_mode_delay", 0)
        .put("slow_mode_delay_expires_in", 0.0)
        .put("can_get_members", chat.kind != ChatKind.CHANNEL)
        .put("has_hidden_members", false)
        .put("can_hide_members", false)
        .put("can_set_sticker_set", false)
        .put("can_set_location", false)
        .put("can_get_statistics", false)
        .put("is_all_history_available", true)
        .put("sticker_set_id", "0")
        .put("custom_emoji_sticker_set_id", "0")
        .put("upgraded_from_basic_group_id", upgradedFromBasicGroupId)
        .put("upgraded_from_max_message_id", upgradedFromMaxMessageId);
  }

  static ObjectNode secretChat(WorldChat chat) {
    ObjectNode node = object("secretChat").put("id", chat.entityId).put("user_id", chat.partnerUserId);
    node.set("state", object("secretChatStateReady"));
    return node.put("is_outbound", false).put("key_hash", "").put("layer", 144);
  }

  private static ObjectNode memberStatus(WorldChat chat) {
    if (!chat.accessible) {
      return object("chatMemberStatusLeft");
    }
    return object("chatMemberStatusMember").put("member_until_date", 0);
  }
}
