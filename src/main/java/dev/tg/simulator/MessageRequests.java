package dev.tg.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** One TDLib instance's answers about messages: getChatHistory exactly as TDLib pages, getMessage, counts. */
final class MessageRequests {
  private static final int MAX_HISTORY_LIMIT = 100;
  private static final int SHORT_PAGE_PERCENT = 15;

  private final World world;
  private final ClientView view;
  private final Set<Long> historyRequested = new HashSet<>();
  private final Set<Long> channelPrivateReported = new HashSet<>();

  MessageRequests(World world, ClientView view) {
    this.world = world;
    this.view = view;
  }

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
    if (fromMessageId == 0 || fromMessageId > ChatHistory.MAX_MESSAGE_ID) {
      fromMessageId = ChatHistory.MAX_MESSAGE_ID;
    }
    if (!isValidMessageId(fromMessageId)) {
      return TdObjects.error(400, "Invalid value of parameter from_message_id specified");
    }
    ClientView.ChatLookup lookup = view.lookupChat(request.path("chat_id").asLong());
    if (lookup.error() != null) {
      return lookup.error();
    }
    WorldChat chat = lookup.chat();
    ObjectNode denied = checkAccess(chat, call);
    if (denied != null) {
      return denied;
    }
    if (request.path("only_local").asBoolean()) {
      // this instance keeps no message database, so nothing is local
      return messagesObject(chat, new int[0]);
    }
    ObjectNode refusal = call.reachServer(chat.id);
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

  /** A chat the account lost: the server says CHANNEL_PRIVATE once, after that TDLib knows by itself. */
  private ObjectNode checkAccess(WorldChat chat, ServerCall call) {
    if (chat.accessible) {
      return null;
    }
    if (channelPrivateReported.add(chat.id)) {
      ObjectNode refusal = call.reachServer(chat.id);
      return refusal != null ? refusal : TdObjects.error(400, "CHANNEL_PRIVATE");
    }
    return TdObjects.error(400, "Can't access the chat");
  }

  private ObjectNode messagesObject(WorldChat chat, int[] indices) {
    ObjectNode result = TdObjects.object("messages").put("total_count", indices.length);
    ArrayNode list = result.putArray("messages");
    for (int index : indices) {
      list.add(view.messageObject(chat, index));
    }
    return result;
  }

  ObjectNode getMessage(ObjectNode request, ServerCall call) {
    ClientView.ChatLookup lookup = view.lookupChat(request.path("chat_id").asLong());
    if (lookup.error() != null) {
      return lookup.error();
    }
    long messageId = request.path("message_id").asLong();
    if (!isValidMessageId(messageId)) {
      return TdObjects.error(400, "Invalid message identifier specified");
    }
    WorldChat chat = lookup.chat();
    ObjectNode denied = checkAccess(chat, call);
    if (denied != null) {
      return denied;
    }
    ObjectNode refusal = call.reachServer(chat.id);
    if (refusal != null) {
      return refusal;
    }
    int index = chat.history.indexOf(messageId);
    if (index < 0 || chat.history.isDeleted(index)) {
      return TdObjects.error(404, "Not Found");
    }
    return view.messageObject(chat, index);
  }

  ObjectNode getChatMessageCount(ObjectNode request, ServerCall call) {
    ClientView.ChatLookup lookup = view.lookupChat(request.path("chat_id").asLong());
    if (lookup.error() != null) {
      return lookup.error();
    }
    String filter = request.path("filter").path("@type").asText("searchMessagesFilterEmpty");
    if (!filter.isEmpty() && !filter.equals("searchMessagesFilterEmpty")) {
      return TdObjects.error(400, "The simulator counts only with searchMessagesFilterEmpty");
    }
    if (request.path("return_local").asBoolean()) {
      return TdObjects.object("count").put("count", -1);
    }
    WorldChat chat = lookup.chat();
    ObjectNode denied = checkAccess(chat, call);
    if (denied != null) {
      return denied;
    }
    ObjectNode refusal = call.reachServer(chat.id);
    return refusal != null ? refusal : TdObjects.object("count").put("count", chat.history.liveCount());
  }
}
