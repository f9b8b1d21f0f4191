package dev.tg.archive;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A live change to a chat's messages, applied to the archive in the order it arrived. A change for a message not
 * archived yet is kept and applied when the message arrives, so that no history page, however late, loses it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME)
@JsonSubTypes({@JsonSubTypes.Type(MessageChange.Added.class), @JsonSubTypes.Type(MessageChange.ContentUpdated.class),
    @JsonSubTypes.Type(MessageChange.Edited.class), @JsonSubTypes.Type(MessageChange.Deleted.class)})
public sealed interface MessageChange {

  record Added(MessageRecord message) implements MessageChange {}

  /**
   * {@code updateMessageContent} with no {@code updateMessageEdited} after it: the content changed without an
   * edit (a link preview arrived, media was processed), so the row changes in place and no version is kept.
   */
  record ContentUpdated(long messageId, String contentJson, String text) implements MessageChange {}

  /**
   * {@code updateMessageEdited}, with the content of the {@code updateMessageContent} that TDLib sends just before
   * it ({@code MessagesManager::update_message}), or null when only the edit date changed: the archived content
   * becomes a version.
   */
  record Edited(long messageId, int editDate, String contentJson, String text) implements MessageChange {}

  /** {@code updateDeleteMessages} with {@code is_permanent}: marked, never erased. */
  record Deleted(List<Long> messageIds) implements MessageChange {}
}
