package dev.tg.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.telegram.TdChat;
import dev.tg.telegram.TdChat.ChatKind;
import dev.tg.telegram.TdClient;

/** The TDLib requests a chat's sync sends, built as TDLib 1.8.65's schema has them. */
final class ChatRequests {
  private ChatRequests() {}

  /** {@code getChatHistory}: up to {@code limit} messages strictly older than {@code fromMessageId} (0: newest). */
  static ObjectNode history(long chatId, long fromMessageId, int limit) {
    return TdClient.request("getChatHistory")
        .put("chat_id", chatId)
        .put("from_message_id", fromMessageId)
        .put("offset", 0)
        .put("limit", limit)
        .put("only_local", false);
  }

  /**
   * An estimate of the chat's size for progress and ETA: an empty search, counted by the server
   * ({@code SearchChatMessagesRequest}; a server refusing it answers an empty result, {@code SEARCH_QUERY_EMPTY}).
   * {@code getChatMessageCount} cannot count everything: it refuses {@code searchMessagesFilterEmpty}
   * ({@code MessagesManager::get_dialog_message_count}).
   */
  static ObjectNode estimate(long chatId) {
    return TdClient.request("searchChatMessages")
        .put("chat_id", chatId)
        .put("query", "")
        .put("from_message_id", 0)
        .put("offset", 0)
        .put("limit", 1);
  }

  /**
   * Makes TDLib know a chat whose user or group it knows (in memory or in its chat info database): the request for
   * the chat's kind ({@code Requests.cpp} {@code CreateChatRequest} → {@code MessagesManager::create_dialog}), with
   * {@code force}, so that the chat is created at once ({@code force_create_dialog}) without asking the server. It
   * answers "Chat info not found" when TDLib knows nothing of the user or group, "Can't access the chat" when it may
   * not read it. {@code createSecretChat} is always forced.
   */
  static ObjectNode introduce(long chatId, ChatKind kind) {
    long entityId = TdChat.entityId(chatId, kind);
    return switch (kind) {
      case PRIVATE -> TdClient.request("createPrivateChat").put("user_id", entityId).put("force", true);
      case BASIC_GROUP -> TdClient.request("createBasicGroupChat").put("basic_group_id", entityId).put("force", true);
      case SUPERGROUP, CHANNEL -> TdClient.request("createSupergroupChat").put("supergroup_id", entityId)
          .put("force", true);
      case SECRET -> TdClient.request("createSecretChat").put("secret_chat_id", entityId);
    };
  }

  /** Supergroups and channels deliver all their updates only while open ({@code openChat} in the schema). */
  static ObjectNode open(long chatId) {
    return TdClient.request("openChat").put("chat_id", chatId);
  }
}
