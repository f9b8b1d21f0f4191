package dev.tg.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.simulator.SimChat.ChatList;

/**
 * TDLib API objects as JSON, shaped as TDLib 1.8.65 prints them (every field of td_api.tl 1.8.65 as
 * tdlib-types.d.ts has it): int64 as strings, null fields left out.
 */
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

  /** A text with a textEntityTypeUrl for each link in it, as the server marks them; offsets count UTF-16 units. */
  static ObjectNode formattedText(String text) {
    ObjectNode formatted = object("formattedText").put("text", text);
    ArrayNode entities = formatted.putArray("entities");
    for (int[] link : Texts.links(text)) {
      ObjectNode entity = object("textEntity").put("offset", link[0]).put("length", link[1]);
      entity.set("type", object("textEntityTypeUrl"));
      entities.add(entity);
    }
    return formatted;
  }

  /** The linkPreview of an article, as a messageText carries it once WebPagesManager has the page. */
  static ObjectNode linkPreview(String url) {
    String displayUrl = url.substring(url.indexOf("//") + 2);
    String site = displayUrl.contains("/") ? displayUrl.substring(0, displayUrl.indexOf('/')) : displayUrl;
    ObjectNode preview = object("linkPreview")
        .put("url", url)
        .put("display_url", displayUrl)
        .put("site_name", site)
        .put("title", Texts.title(Texts.hash(url.hashCode())));
    preview.set("description", formattedText(""));
    preview.put("author", "");
    preview.set("type", object("linkPreviewTypeArticle"));
    return preview
        .put("has_large_media", false)
        .put("show_large_media", false)
        .put("show_media_above_description", false)
        .put("skip_confirmation", false)
        .put("show_above_text", false)
        .put("instant_view_version", 0);
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
      node.set("usernames", usernames(user.username()));
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
        .put("restricts_new_chats", false)
        .put("paid_message_star_count", 0)
        .put("have_access", true)
        .<ObjectNode>set("type", object("userTypeRegular"))
        .put("language_code", "")
        .put("added_to_attachment_menu", false);
  }

  private static ObjectNode usernames(String username) {
    ObjectNode usernames = object("usernames");
    usernames.putArray("active_usernames").add(username);
    usernames.putArray("disabled_usernames");
    usernames.put("editable_username", username);
    usernames.putArray("collectible_usernames");
    return usernames;
  }

  /** A position in a list; order 0 means the chat left that list. */
  static ObjectNode chatPosition(ChatList list, long order) {
    ObjectNode position = object("chatPosition");
    position.set("list", object(list.type));
    return position.put("order", Long.toString(order)).put("is_pinned", false);
  }

  /** The chat's positions: one in the list it is in, none for a chat in no list. */
  static ArrayNode chatPositions(ChatList list, long order) {
    ArrayNode positions = JSON.createArrayNode();
    if (list != ChatList.NONE) {
      positions.add(chatPosition(list, order));
    }
    return positions;
  }

  static ObjectNode updateChatPosition(long chatId, ChatList list, long order) {
    ObjectNode update = object("updateChatPosition").put("chat_id", chatId);
    update.set("position", chatPosition(list, order));
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

  static ObjectNode chat(
      WorldChat chat, ObjectNode lastMessage, ArrayNode positions, int unreadCount, long lastReadInboxId) {
    ObjectNode node = object("chat").put("id", chat.id);
    node.set("type", chatType(chat));
    node.put("title", chat.title)
        .put("accent_color_id", Texts.pick(chat.id, 7))
        .put("background_custom_emoji_id", "0")
        .put("profile_accent_color_id", -1)
        .put("profile_background_custom_emoji_id", "0");
    node.set("permissions", chatPermissions());
    if (lastMessage != null) {
      node.set("last_message", lastMessage);
    }
    node.set("positions", positions);
    node.putArray("chat_lists");
    node.put("has_protected_content", false)
        .put("is_translatable", false)
        .put("is_marked_as_unread", false)
        .put("view_as_topics", false)
        .put("has_scheduled_messages", !chat.scheduled.isEmpty())
        .put("can_be_deleted_only_for_self", true)
        .put("can_be_deleted_for_all_users", chat.kind == ChatKind.PRIVATE)
        .put("can_be_reported", chat.kind != ChatKind.SECRET)
        .put("default_disable_notification", false)
        .put("unread_count", unreadCount)
        .put("last_read_inbox_message_id", lastReadInboxId)
        .put("last_read_outbox_message_id", lastReadInboxId)
        .put("unread_mention_count", 0)
        .put("unread_reaction_count", 0)
        .put("unread_poll_vote_count", 0);
    node.set("notification_settings", notificationSettings());
    node.set("available_reactions", object("chatAvailableReactionsAll").put("max_reaction_count", 11));
    node.put("message_auto_delete_time", 0);
    node.set("video_chat", object("videoChat").put("group_call_id", 0).put("has_participants", false));
    return node
        .put("reply_markup_message_id", 0)
        .put("client_data", "");
  }

  private static ObjectNode chatPermissions() {
    ObjectNode permissions = object("chatPermissions");
    for (String permission : new String[] {"can_send_basic_messages", "can_send_audios", "can_send_documents",
        "can_send_photos", "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
        "can_send_other_messages", "can_add_link_previews", "can_react_to_messages", "can_edit_tag",
        "can_change_info", "can_invite_users", "can_pin_messages", "can_create_topics"}) {
      permissions.put(permission, true);
    }
    return permissions;
  }

  /** Every setting at the default, as for a chat the user never configured. */
  private static ObjectNode notificationSettings() {
    return object("chatNotificationSettings")
        .put("use_default_mute_for", true)
        .put("mute_for", 0)
        .put("use_default_sound", true)
        .put("sound_id", "0")
        .put("use_default_show_preview", true)
        .put("show_preview", true)
        .put("use_default_mute_stories", true)
        .put("mute_stories", false)
        .put("use_default_story_sound", true)
        .put("story_sound_id", "0")
        .put("use_default_show_story_poster", true)
        .put("show_story_poster", true)
        .put("use_default_disable_pinned_message_notifications", true)
        .put("disable_pinned_message_notifications", false)
        .put("use_default_disable_mention_notifications", true)
        .put("disable_mention_notifications", false);
  }

  static ObjectNode basicGroup(WorldChat chat, ObjectNode status, long upgradedToSupergroupId) {
    ObjectNode node = object("basicGroup").put("id", chat.entityId).put("member_count", chat.memberCount);
    node.set("status", status);
    return node.put("is_active", !chat.upgradedAway).put("upgraded_to_supergroup_id", upgradedToSupergroupId);
  }

  /** A foreign channel is public (it has a username): TDLib reads the history of a public channel without joining. */
  static ObjectNode supergroup(WorldChat chat, ObjectNode status) {
    ObjectNode node = object("supergroup").put("id", chat.entityId);
    if (chat.foreign) {
      node.set("usernames", usernames("channel" + Long.toString(chat.entityId, 36)));
    }
    node.put("date", chat.createdDate);
    node.set("status", status);
    return node
        .put("member_count", chat.memberCountHidden ? 0 : chat.memberCount)
        .put("boost_level", 0)
        .put("has_automatic_translation", false)
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
        .put("has_direct_messages_group", false)
        .put("has_forum_tabs", false)
        .put("paid_message_star_count", 0);
  }

  static ObjectNode supergroupFullInfo(WorldChat chat, long upgradedFromBasicGroupId, long upgradedFromMaxMessageId) {
    ObjectNode node = object("supergroupFullInfo")
        .put("description", "")
        .put("member_count", chat.memberCount)
        .put("administrator_count", Math.min(chat.memberCount, 3))
        .put("restricted_count", 0)
        .put("banned_count", 0)
        .put("linked_chat_id", 0)
        .put("direct_messages_chat_id", 0)
        .put("slow_mode_delay", 0)
        .put("slow_mode_delay_expires_in", 0.0)
        .put("can_enable_paid_messages", false)
        .put("can_enable_paid_reaction", false)
        .put("can_get_members", chat.kind != ChatKind.CHANNEL)
        .put("has_hidden_members", false)
        .put("can_hide_members", false)
        .put("can_set_sticker_set", false)
        .put("can_set_location", false)
        .put("can_get_statistics", false)
        .put("can_get_revenue_statistics", false)
        .put("can_get_star_revenue_statistics", false)
        .put("can_send_gift", false)
        .put("can_toggle_aggressive_anti_spam", false)
        .put("is_all_history_available", true)
        .put("can_have_sponsored_messages", false)
        .put("has_aggressive_anti_spam_enabled", false)
        .put("has_paid_media_allowed", false)
        .put("has_pinned_stories", false)
        .put("gift_count", 0)
        .put("my_boost_count", 0)
        .put("unrestrict_boost_count", 0)
        .put("outgoing_paid_message_star_count", 0)
        .put("sticker_set_id", "0")
        .put("custom_emoji_sticker_set_id", "0")
        .put("guard_bot_user_id", 0);
    node.putArray("bot_commands");
    return node
        .put("upgraded_from_basic_group_id", upgradedFromBasicGroupId)
        .put("upgraded_from_max_message_id", upgradedFromMaxMessageId);
  }

  /** An incoming secret chat: Pending until SecretChatActor has accepted it, then Ready. */
  static ObjectNode secretChat(WorldChat chat, boolean ready) {
    ObjectNode node = object("secretChat").put("id", chat.entityId).put("user_id", chat.partnerUserId);
    node.set("state", object(ready ? "secretChatStateReady" : "secretChatStatePending"));
    return node.put("is_outbound", false).put("key_hash", "").put("layer", 144);
  }

  static ObjectNode memberStatus(boolean banned, boolean member) {
    if (banned) {
      return object("chatMemberStatusBanned").put("banned_until_date", 0);
    }
    return member ? object("chatMemberStatusMember").put("member_until_date", 0) : object("chatMemberStatusLeft");
  }
}
