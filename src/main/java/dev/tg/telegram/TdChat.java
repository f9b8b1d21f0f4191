package dev.tg.telegram;

import com.fasterxml.jackson.databind.JsonNode;

/** A TDLib {@code chat}: what kind it is and where its member count lives. */
public record TdChat(long id, ChatKind kind, String title, long groupId, long lastMessageId) {

  public enum ChatKind {
    PRIVATE,
    SECRET,
    BASIC_GROUP,
    SUPERGROUP,
    CHANNEL;

    /** The name the design's {@code chat_sync_state.chat_type} uses. */
    public String tableName() {
      return switch (this) {
        case PRIVATE, SECRET -> "private";
        case BASIC_GROUP -> "group";
        case SUPERGROUP -> "supergroup";
        case CHANNEL -> "channel";
      };
    }
  }

  public static TdChat of(JsonNode chat) {
    JsonNode type = chat.path("type");
    ChatKind kind;
    long groupId = 0;
    switch (type.path("@type").asText()) {
      case "chatTypeSecret" -> kind = ChatKind.SECRET;
      case "chatTypeBasicGroup" -> {
        kind = ChatKind.BASIC_GROUP;
        groupId = type.path("basic_group_id").asLong();
      }
      case "chatTypeSupergroup" -> {
        kind = type.path("is_channel").asBoolean() ? ChatKind.CHANNEL : ChatKind.SUPERGROUP;
        groupId = type.path("supergroup_id").asLong();
      }
      default -> kind = ChatKind.PRIVATE;
    }
    return new TdChat(
        chat.path("id").asLong(), kind, chat.path("title").asText(), groupId, chat.path("last_message").path("id").asLong());
  }

  /** The chat id of a basic group, as TDLib derives it. */
  public static long basicGroupChatId(long basicGroupId) {
    return -basicGroupId;
  }

  /**
   * The user, basic group, supergroup or secret chat a chat id names, as TDLib's {@code DialogId} derives chat ids
   * from them.
   */
  public static long entityId(long chatId, ChatKind kind) {
    return switch (kind) {
      case PRIVATE -> chatId;
      case BASIC_GROUP -> -chatId;
      case SUPERGROUP, CHANNEL -> -1_000_000_000_000L - chatId;
      case SECRET -> chatId + 2_000_000_000_000L;
    };
  }

  /** The chat id of a supergroup or channel, as TDLib derives it. */
  public static long supergroupChatId(long supergroupId) {
    return -1_000_000_000_000L - supergroupId;
  }
}
