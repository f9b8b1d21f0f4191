package dev.tg.simulator;

import java.time.Instant;

/** What happens in the world that connected TDLib clients hear about. Called under the world's lock. */
interface WorldListener {
  void messageAdded(WorldChat chat, long messageId);

  /** Messages arrived that TDLib skipped silently: only the chat's last message moves. */
  void messagesSkipped(WorldChat chat);

  void messageEdited(WorldChat chat, long messageId);

  void messagesDeleted(WorldChat chat, long[] messageIds, boolean permanent);

  /** Member count or accessibility changed. */
  void chatChanged(WorldChat chat);

  void chatDeleted(WorldChat chat);

  void userChanged(SimUser user);

  void connectionLost();

  void connectionRestored();

  /** Time passed: answers that were waiting may be due. */
  void tick(Instant now);
}
