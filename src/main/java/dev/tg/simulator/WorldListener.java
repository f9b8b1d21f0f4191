package dev.tg.simulator;

import java.time.Instant;

/** What happens in the world that connected TDLib clients hear about. Called under the world's lock. */
interface WorldListener {
  void messageAdded(WorldChat chat, long messageId);

  /** Messages arrived that TDLib skipped silently: only the chat's last message moves. */
  void messagesSkipped(WorldChat chat);

  void messageEdited(WorldChat chat, long messageId);

  /** The content changed without an edit: a link preview arrived. */
  void messageContentChanged(WorldChat chat, long messageId);

  void messagesDeleted(WorldChat chat, long[] messageIds, boolean permanent);

  void scheduledMessageAdded(WorldChat chat, WorldChat.ScheduledMessage message);

  /** The scheduled message's date came: it is gone, and {@code messageId} (0 if none) was sent in its place. */
  void scheduledMessageSent(WorldChat chat, long scheduledMessageId, long messageId);

  /** Member count changed. */
  void chatChanged(WorldChat chat);

  /** The account left, rejoined or lost the chat: its status and maybe its list changed. */
  void membershipChanged(WorldChat chat);

  /** A user asks for a secret chat; an instance that uses secret chats accepts it by itself. */
  void secretChatRequested(WorldChat chat);

  void userChanged(SimUser user);

  /** A private or secret chat's title follows its partner's new name. */
  void titleChanged(WorldChat chat);

  void connectionLost();

  void connectionRestored();

  /** TDLib fetches missed updates (getDifference) while connected: Updating, then Ready. */
  void routineUpdate();

  /** Time passed: answers that were waiting may be due. */
  void tick(Instant now);

  /** Writes what is buffered (the message database) and closes open files; they open again when needed. */
  void releaseFiles();
}
