package dev.tg.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;

/**
 * One TDLib instance's answers about messages: getChatHistory exactly as TDLib pages, getMessage, getChatMessageCount
 * and searchChatMessages as MessagesManager answers them.
 */
final class MessageRequests {
  private static final int MAX_HISTORY_LIMIT = 100;
  private static final int MAX_SEARCH_LIMIT = 100;
  private static final int SHORT_PAGE_PERCENT = 15;
  private static final String FILTER_EMPTY = "searchMessagesFilterEmpty";
  private static final Set<String> UNREAD_FILTERS = Set.of(
      "searchMessagesFilterUnreadMention", "searchMessagesFilterUnreadReaction", "searchMessagesFilterUnreadPollVote");
  /** Filters search_dialog_messages answers with no messages in a secret chat instead of refusing. */
  private static final Set<String> SECRET_CHAT_EMPTY_FILTERS = Set.of("searchMessagesFilterUnreadMention",
      "searchMessagesFilterPinned", "searchMessagesFilterUnreadReaction", "searchMessagesFilterUnreadPollVote");

  private final World world;
  private final ClientView view;
  private final BooleanSupplier searchTotalsUnknown;
  private final Set<Long> historyRequested = new HashSet<>();
  /** Chat and filter pairs whose count TDLib has learnt: Dialog::message_count_by_index is no longer -1. */
  private final Set<String> knownCounts = new HashSet<>();

  MessageRequests(World world, ClientView view, BooleanSupplier searchTotalsUnknown) {
    this.world = world;
    this.view = view;
    this.searchTotalsUnknown = searchTotalsUnknown;
  }

  /** MessagesManager::get_dialog_history, its checks in its order. */
  ObjectNode getChatHistory(ObjectNode request, ServerCall call) {
    long fromMessageId = request.path("from_message_id").asLong();
    int offset = request.path("offset").asInt();
    int limit = request.path("limit").asInt();
    if (limit <= 0) {
      return TdObjects.error(400, "Parameter limit must be positive");
    }
    limit = Math.min(limit, MAX_HISTORY_LIMIT);
    if (offset > 0) {
      return TdObjects.error(400, "Parameter offset must be non-positive");
    }
    if (offset <= -MAX_HISTORY_LIMIT) {
      return TdObjects.error(400, "Parameter offset must be greater than -100");
    }
    if (offset < -limit) {
      return TdObjects.error(400, "Parameter offset must be greater than or equal to -limit");
    }
    ClientView.ChatLookup lookup = readableChat(request);
    if (lookup.error() != null) {
      return lookup.error();
    }
    if (fromMessageId == 0 || fromMessageId > ChatHistory.MAX_MESSAGE_ID) {
      fromMessageId = ChatHistory.MAX_MESSAGE_ID;
    }
    if (!isValidMessageId(fromMessageId)) {
      return TdObjects.error(400, "Invalid value of parameter from_message_id specified");
    }
    WorldChat chat = lookup.chat();
    if (request.path("only_local").asBoolean()) {
      // load_messages_impl with only_local reads the message database, if there is one
      List<ObjectNode> local = view.database() == null
          ? List.of()
          : view.database().page(chat.id, fromMessageId, offset, limit);
      return messagesObject(local);
    }
    ObjectNode refusal = reachServer(chat, call);
    if (refusal != null) {
      return refusal;
    }
    int[] page = chat.history.page(fromMessageId, offset, limit);
    int returned = returnedCount(chat, page.length, Texts.hash(world.seed(), chat.id, fromMessageId, offset, limit));
    return messagesObject(chat, Arrays.copyOf(page, returned));
  }

  /**
   * TDLib returns as many messages as it has at hand: the first call for a chat only its last message, and some later
   * pages stop early at a gap in what it loaded; never none unless the history really ends.
   */
  private int returnedCount(WorldChat chat, int available, long hash) {
    if (available == 0) {
      return 0;
    }
    if (historyRequested.add(chat.id)) {
      return 1;
    }
    if (available > 1 && Texts.pick(hash, 100) < SHORT_PAGE_PERCENT) {
      return 1 + Texts.pick(hash >>> 8, available - 1);
    }
    return available;
  }

  /** TDLib's MessageId::is_valid: a server id, or a local or yet-unsent one. */
  private static boolean isValidMessageId(long messageId) {
    if (messageId <= 0 || messageId > ChatHistory.MAX_MESSAGE_ID) {
      return false;
    }
    long type = messageId & 7;
    return (messageId & ((1L << ChatHistory.SERVER_ID_SHIFT) - 1)) == 0 || type == 1 || type == 2;
  }

  /** A chat this instance knows and may read (check_dialog_access with AccessRights::Read), or the refusal. */
  private ClientView.ChatLookup readableChat(ObjectNode request) {
    ClientView.ChatLookup lookup = view.lookupChat(request.path("chat_id").asLong());
    if (lookup.error() == null && !view.hasReadAccess(lookup.chat())) {
      return new ClientView.ChatLookup(null, TdObjects.error(400, "Can't access the chat"));
    }
    return lookup;
  }

  /**
   * The trip to the server for a chat; a chat the account lost without TDLib being told is answered CHANNEL_PRIVATE,
   * after which TDLib knows (ClientView#revoke) and refuses by itself.
   */
  private ObjectNode reachServer(WorldChat chat, ServerCall call) {
    ObjectNode refusal = call.reachServer(chat.id);
    if (refusal != null || chat.accessible) {
      return refusal;
    }
    view.revoke(chat);
    return TdObjects.error(400, "CHANNEL_PRIVATE");
  }

  private ObjectNode messagesObject(WorldChat chat, int[] indices) {
    return messagesObject(Arrays.stream(indices).mapToObj(index -> view.messageObject(chat, index)).toList());
  }

  /** getChatHistory's total_count is get_messages_object's -1, which becomes the number of messages returned. */
  private static ObjectNode messagesObject(List<ObjectNode> messages) {
    ObjectNode result = TdObjects.object("messages").put("total_count", messages.size());
    result.putArray("messages").addAll(messages);
    return result;
  }

  ObjectNode getMessage(ObjectNode request, ServerCall call) {
    ClientView.ChatLookup lookup = readableChat(request);
    if (lookup.error() != null) {
      return lookup.error();
    }
    long messageId = request.path("message_id").asLong();
    if (!isValidMessageId(messageId)) {
      return TdObjects.error(400, "Invalid message identifier specified");
    }
    WorldChat chat = lookup.chat();
    // MessagesManager::get_message_force_from_server: a message TDLib has (get_message_force) costs no server call
    ObjectNode refusal = view.hasShown(chat.id, messageId) ? null : reachServer(chat, call);
    if (refusal != null) {
      return refusal;
    }
    int index = chat.history.indexOf(messageId);
    if (index < 0 || chat.history.isDeleted(index)) {
      return TdObjects.error(404, "Not Found");
    }
    // the answer gets @extra and @client_id; the message database keeps the node as it was
    return view.messageObject(chat, index).deepCopy();
  }

  /**
   * MessagesManager::get_dialog_message_count: searchMessagesFilterEmpty (also a missing filter) is refused; a count
   * TDLib knows (learnt from the server, or always known: secret chats, FailedToSend, the unread counters) is
   * answered locally; return_local answers -1 for one it does not know; the rest asks the server.
   */
  ObjectNode getChatMessageCount(ObjectNode request, ServerCall call) {
    ClientView.ChatLookup lookup = readableChat(request);
    if (lookup.error() != null) {
      return lookup.error();
    }
    String filter = filterOf(request);
    if (filter.equals(FILTER_EMPTY)) {
      return TdObjects.error(400, "Can't use searchMessagesFilterEmpty");
    }
    ObjectNode topicError = topicError(request);
    if (topicError != null) {
      return topicError;
    }
    WorldChat chat = lookup.chat();
    if (UNREAD_FILTERS.contains(filter) || filter.equals("searchMessagesFilterFailedToSend")) {
      return countObject(0);
    }
    boolean known = chat.kind == ChatKind.SECRET || knownCounts.contains(countKey(chat, filter));
    if (known || request.path("return_local").asBoolean()) {
      return countObject(known ? count(chat, filter) : -1);
    }
    ObjectNode refusal = reachServer(chat, call);
    if (refusal != null) {
      return refusal;
    }
    knownCounts.add(countKey(chat, filter));
    return countObject(count(chat, filter));
  }

  private int count(WorldChat chat, String filter) {
    return chat.history.count(index -> world.messages().matches(chat, index, filter));
  }

  private static String countKey(WorldChat chat, String filter) {
    return chat.id + ":" + filter;
  }

  private static ObjectNode countObject(int count) {
    return TdObjects.object("count").put("count", count);
  }

  /**
   * MessagesManager::search_dialog_messages, its checks in its order, then the server's answer: matching messages
   * newest first, paged as getChatHistory pages (from_message_id excluded unless offset is negative), total_count
   * their number, next_from_message_id the last one returned. SearchChatMessagesRequest turns SEARCH_QUERY_EMPTY,
   * which the server may say for an empty query without filter, into an empty result.
   */
  ObjectNode searchChatMessages(ObjectNode request, ServerCall call) {
    int offset = request.path("offset").asInt();
    int limit = request.path("limit").asInt();
    long fromMessageId = request.path("from_message_id").asLong();
    if (limit <= 0) {
      return TdObjects.error(400, "Parameter limit must be positive");
    }
    limit = Math.min(limit, MAX_SEARCH_LIMIT);
    if (limit <= -offset) {
      return TdObjects.error(400, "Parameter limit must be greater than -offset");
    }
    if (offset > 0) {
      return TdObjects.error(400, "Parameter offset must be non-positive");
    }
    fromMessageId = Math.min(fromMessageId, ChatHistory.MAX_MESSAGE_ID);
    if (fromMessageId != 0 && !isValidMessageId(fromMessageId)) {
      return TdObjects.error(400, "Parameter from_message_id must be identifier of a chat message or 0");
    }
    ClientView.ChatLookup lookup = readableChat(request);
    if (lookup.error() != null) {
      return lookup.error();
    }
    ObjectNode topicError = topicError(request);
    if (topicError != null) {
      return topicError;
    }
    WorldChat chat = lookup.chat();
    JsonNode sender = request.path("sender_id");
    long senderId = sender.path("@type").asText().equals("messageSenderChat")
        ? sender.path("chat_id").asLong()
        : sender.path("user_id").asLong();
    boolean senderKnown = senderId > 0
        ? view.knowsUser(senderId)
        : (world.chat(senderId) != null && view.knows(world.chat(senderId)));
    if (senderId != 0 && !senderKnown) {
      return TdObjects.error(400, "Invalid message sender specified");
    }
    if (senderId == chat.id && chat.kind == ChatKind.CHANNEL) {
      senderId = 0;
    }
    String query = request.path("query").asText();
    String filter = filterOf(request);
    if (UNREAD_FILTERS.contains(filter) && !query.isEmpty()) {
      return TdObjects.error(400, "Non-empty query is unsupported with the specified filter");
    }
    if (UNREAD_FILTERS.contains(filter) && senderId != 0) {
      return TdObjects.error(400, "Filtering by sender is unsupported with the specified filter");
    }
    if (filter.equals("searchMessagesFilterFailedToSend")) {
      return foundObject(chat, new int[0], 0);
    }
    if (chat.kind == ChatKind.SECRET) {
      return SECRET_CHAT_EMPTY_FILTERS.contains(filter)
          ? foundObject(chat, new int[0], 0)
          : TdObjects.error(500, "Message search is not supported in secret chats");
    }
    ObjectNode refusal = reachServer(chat, call);
    if (refusal != null) {
      return refusal;
    }
    boolean estimate = query.isEmpty() && senderId == 0 && filter.equals(FILTER_EMPTY);
    if (estimate && searchTotalsUnknown.getAsBoolean()) {
      return foundObject(chat, new int[0], 0);
    }
    IntPredicate matches = matcher(chat, query, senderId, filter);
    if (query.isEmpty() && senderId == 0 && !filter.equals(FILTER_EMPTY)) {
      // on_get_dialog_messages_search_result keeps the total as the chat's count for the filter
      knownCounts.add(countKey(chat, filter));
    }
    int total = estimate ? chat.history.liveCount() : chat.history.count(matches);
    return foundObject(chat, chat.history.page(fromMessageId, offset, limit, matches), total);
  }

  private IntPredicate matcher(WorldChat chat, String query, long senderId, String filter) {
    MessageFactory messages = world.messages();
    String lowerCaseQuery = query.toLowerCase(Locale.ROOT);
    IntPredicate matches = index -> true;
    if (!query.isEmpty()) {
      matches = matches.and(index -> messages.containsText(chat, index, lowerCaseQuery));
    }
    if (senderId != 0) {
      matches = matches.and(index -> messages.senderId(chat, index) == senderId);
    }
    if (!filter.equals(FILTER_EMPTY)) {
      matches = matches.and(index -> messages.matches(chat, index, filter));
    }
    return matches;
  }

  private ObjectNode foundObject(WorldChat chat, int[] indices, int totalCount) {
    ObjectNode found = TdObjects.object("foundChatMessages").put("total_count", totalCount);
    ArrayNode list = found.putArray("messages");
    for (int index : indices) {
      list.add(view.messageObject(chat, index));
    }
    long next = indices.length == 0 ? 0 : chat.history.messageIdAt(indices[indices.length - 1]);
    return found.put("next_from_message_id", next);
  }

  /** get_message_search_filter: a missing filter is searchMessagesFilterEmpty. */
  private static String filterOf(ObjectNode request) {
    String filter = request.path("filter").path("@type").asText();
    return filter.isEmpty() ? FILTER_EMPTY : filter;
  }

  /** MessageTopic::get_message_topic: no chat of the world has topics, threads or direct messages. */
  private static ObjectNode topicError(ObjectNode request) {
    return switch (request.path("topic_id").path("@type").asText()) {
      case "" -> null;
      case "messageTopicThread" -> TdObjects.error(400, "Chat doesn't have threads");
      case "messageTopicForum" -> TdObjects.error(400, "Chat is not a forum");
      case "messageTopicDirectMessages" ->
          TdObjects.error(400, "Chat is not an administered channel direct messages chat");
      default -> TdObjects.error(400, "Chat is not the Saved Messages chat");
    };
  }
}
