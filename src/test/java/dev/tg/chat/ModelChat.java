package dev.tg.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The reference model of one chat on the server: its messages with their current text, edit date and whether
 * they were deleted, rendered as TDLib 1.8.65 renders a {@code message}; and the pages TDLib would return.
 */
final class ModelChat {
  private static final long SERVER_ID_SHIFT = 20;
  private static final long USER = 6_000_001_000L;

  /** One message as the server has it now; {@code previousTexts} are its texts before each edit, oldest first. */
  record Message(long id, String text, int date, int editDate, boolean deleted, List<String> previousTexts) {
    Message edited(String newText, int at) {
      List<String> previous = new ArrayList<>(previousTexts);
      previous.add(text);
      return new Message(id, newText, date, at, deleted, List.copyOf(previous));
    }

    Message delete() {
      return new Message(id, text, date, editDate, true, previousTexts);
    }
  }

  private final long chatId;
  private final NavigableMap<Long, Message> messages = new TreeMap<>();
  private int nextServerId = 1;
  private int clock = 1_700_000_000;

  ModelChat(long chatId, int history) {
    this.chatId = chatId;
    for (int i = 0; i < history; i++) {
      post("history " + i);
    }
  }

  long chatId() {
    return chatId;
  }

  static long messageId(int serverId) {
    return (long) serverId << SERVER_ID_SHIFT;
  }

  /** A new message; returns its id. */
  long post(String text) {
    long id = messageId(nextServerId++);
    messages.put(id, new Message(id, text, clock++, 0, false, List.of()));
    return id;
  }

  void edit(long id, String newText) {
    messages.put(id, messages.get(id).edited(newText, clock++));
  }

  /** Time goes on: later messages and edits get later dates. */
  void tick() {
    clock++;
  }

  void delete(long id) {
    messages.put(id, messages.get(id).delete());
  }

  Message message(long id) {
    return messages.get(id);
  }

  /** Every message ever posted, deleted ones too, oldest first. */
  List<Message> all() {
    return List.copyOf(messages.values());
  }

  /** The newest message that exists, 0 if none. */
  long lastId() {
    return messages.descendingMap().values().stream().filter(m -> !m.deleted()).mapToLong(Message::id)
        .findFirst().orElse(0);
  }

  /** Existing messages strictly older than {@code fromMessageId} (0: from the newest), newest first. */
  List<Message> older(long fromMessageId, int limit) {
    NavigableMap<Long, Message> below = fromMessageId == 0 ? messages : messages.headMap(fromMessageId, false);
    List<Message> page = new ArrayList<>();
    for (Message message : below.descendingMap().values()) {
      if (page.size() == limit) {
        break;
      }
      if (!message.deleted()) {
        page.add(message);
      }
    }
    return page;
  }

  ObjectNode json(Message message) {
    ObjectNode node = ScriptedTdJson.JSON.createObjectNode().put("@type", "message").put("id", message.id());
    node.putObject("sender_id").put("@type", "messageSenderUser").put("user_id", USER);
    node.put("chat_id", chatId).put("is_outgoing", false).put("date", message.date())
        .put("edit_date", message.editDate());
    node.set("content", content(message.text()));
    return node;
  }

  ObjectNode content(String text) {
    ObjectNode content = ScriptedTdJson.JSON.createObjectNode().put("@type", "messageText");
    ObjectNode formatted = content.putObject("text").put("@type", "formattedText").put("text", text);
    formatted.putArray("entities");
    return content;
  }

  /** A message being sent from this account: a yet-unsent id (MessageId::TYPE_YET_UNSENT) and a sending state. */
  ObjectNode pendingJson(long afterId, String text) {
    ObjectNode node = json(new Message(afterId + 1, text, clock++, 0, false, List.of()));
    node.putObject("sending_state").put("@type", "messageSendingStatePending").put("sending_id", 1);
    return node;
  }

  ObjectNode page(List<ObjectNode> messagesNewestFirst) {
    ObjectNode page = ScriptedTdJson.JSON.createObjectNode().put("@type", "messages")
        .put("total_count", messagesNewestFirst.size());
    ArrayNode list = page.putArray("messages");
    messagesNewestFirst.forEach(list::add);
    return page;
  }

  ObjectNode page(long fromMessageId, int limit) {
    return page(older(fromMessageId, limit).stream().map(this::json).toList());
  }
}
