package dev.tg.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

  /** Supergroups and channels deliver all their updates only while open ({@code openChat} in the schema). */
  static ObjectNode open(long chatId) {
    return TdClient.request("openChat").put("chat_id", chatId);
  }
}
