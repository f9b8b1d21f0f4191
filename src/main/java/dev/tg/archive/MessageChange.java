package dev.tg.archive;

import java.util.List;

/** A live change to a chat's messages, applied to the archive in the order it arrived. */
public sealed interface MessageChange {

  record Added(MessageRecord message) implements MessageChange {}

  /** {@code updateMessageContent}: the previous content becomes a version. */
  record ContentChanged(long messageId, String contentJson, String text) implements MessageChange {}

  /** {@code updateMessageEdited}: the edit date that goes with the content change. */
  record Edited(long messageId, int editDate) implements MessageChange {}

  /** {@code updateDeleteMessages} with {@code is_permanent}: marked, never erased. */
  record Deleted(List<Long> messageIds) implements MessageChange {}
}
