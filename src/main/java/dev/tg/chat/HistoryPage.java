package dev.tg.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.archive.MessageRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code messages} answer to {@code getChatHistory}, newest first, as the sync reads it: the server messages it
 * holds, and the ids that bound it. Messages being sent, local ones and scheduled ones are not history (TDLib's
 * {@code MessageId::is_server}: the 20 low bits of a server message id are 0) but still bound the page: only an
 * answer with no message at all means the start of the history.
 *
 * @param messages the server messages, newest first
 * @param newest the newest server message id, 0 when none
 * @param oldest the oldest id of any message in the answer, 0 when the answer is empty
 * @param upgradedFrom the basic group a {@code messageChatUpgradeFrom} in the page names, 0 when none
 */
public record HistoryPage(List<MessageRecord> messages, long newest, long oldest, long upgradedFrom) {
  private static final long FULL_TYPE_MASK = (1L << 20) - 1;

  public HistoryPage {
    messages = List.copyOf(messages);
  }

  public static HistoryPage of(JsonNode answer) {
    List<MessageRecord> server = new ArrayList<>();
    long newest = 0;
    long oldest = 0;
    long upgradedFrom = 0;
    for (JsonNode message : answer.path("messages")) {
      long id = message.path("id").asLong();
      oldest = oldest == 0 ? id : Math.min(oldest, id);
      if (isServerMessage(id)) {
        server.add(MessageRecord.of(message));
        newest = Math.max(newest, id);
      }
      JsonNode content = message.path("content");
      if (content.path("@type").asText().equals("messageChatUpgradeFrom")) {
        upgradedFrom = content.path("basic_group_id").asLong();
      }
    }
    return new HistoryPage(server, newest, oldest, upgradedFrom);
  }

  /** TDLib's {@code MessageId::is_server}: sent messages only, not yet-unsent, local or scheduled ones. */
  public static boolean isServerMessage(long messageId) {
    return messageId > 0 && (messageId & FULL_TYPE_MASK) == 0;
  }

  /** No message at all: the history starts here. */
  public boolean isEnd() {
    return oldest == 0;
  }

  /** Only the messages newer than {@code boundary}. */
  public List<MessageRecord> newerThan(long boundary) {
    return messages.stream().filter(message -> message.id() > boundary).toList();
  }

  public List<Long> ids() {
    return messages.stream().map(MessageRecord::id).toList();
  }
}
