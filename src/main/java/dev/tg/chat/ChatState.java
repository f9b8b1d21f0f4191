package dev.tg.chat;

import dev.tg.JsonSerializable;
import dev.tg.chat.ChatSync.Event;
import java.time.Instant;

/**
 * A chat's sync state, rebuilt from its events: both cursors, how far history has come, and its policy.
 * {@code forwardCursor} is the newest message id below which everything is archived down to
 * {@code backwardCursor}; 0 means none yet. {@code upgradedFromBasicGroupId} is the basic group a supergroup was
 * upgraded from, once a page showed it (0: none, or not seen yet).
 */
public record ChatState(
    String title,
    ChatPolicy policy,
    long upgradedToChatId,
    long upgradedFromBasicGroupId,
    long forwardCursor,
    long backwardCursor,
    boolean initialized,
    boolean historyComplete,
    long archived,
    long knownTotal,
    Access access,
    boolean requested,
    Instant lastForwardSync,
    Instant lastBackwardSync)
    implements JsonSerializable {

  /** Whether the chat can be synced: the user is in it (a position in a chat list) and can read it. */
  public enum Access {
    ACTIVE,
    /** In no chat list any more: the user left, or was removed. */
    LEFT,
    INACCESSIBLE,
    /** TDLib answered that it does not know the chat. */
    DELETED
  }

  public static ChatState unknown() {
    return new ChatState("", null, 0, 0, 0, 0, false, false, 0, 0, Access.ACTIVE, false, null, null);
  }

  public boolean described() {
    return policy != null;
  }

  /** Whether the sync works on this chat at all. */
  public boolean syncing() {
    return described() && policy.enabled() && access == Access.ACTIVE;
  }

  /** The next state after an event; the chat actor's only fold, also used to replay a journal offline. */
  public ChatState apply(Event event) {
    if (event instanceof ChatSync.ChatDescribed e) {
      return new ChatState(e.title(), e.policy(), e.upgradedToChatId(), upgradedFromBasicGroupId, forwardCursor,
          backwardCursor, initialized, historyComplete, archived, knownTotal, access, requested, lastForwardSync,
          lastBackwardSync);
    }
    if (event instanceof ChatSync.SyncRequested e) {
      return new ChatState(title, e.policy(), upgradedToChatId, upgradedFromBasicGroupId, forwardCursor, backwardCursor,
          initialized, historyComplete, archived, knownTotal, access, true, lastForwardSync, lastBackwardSync);
    }
    if (event instanceof ChatSync.InitialLoadStored e) {
      return new ChatState(title, policy, upgradedToChatId, upgradedFromBasicGroupId, e.forwardCursor(),
          e.backwardCursor(), true, historyComplete, e.archived(), knownTotal, access, requested, e.at(), e.at());
    }
    if (event instanceof ChatSync.ForwardAdvanced e) {
      return new ChatState(title, policy, upgradedToChatId, upgradedFromBasicGroupId, e.forwardCursor(), backwardCursor,
          initialized, historyComplete, e.archived(), knownTotal, access, requested, e.at(), lastBackwardSync);
    }
    if (event instanceof ChatSync.HistoryBatchStored e) {
      return new ChatState(title, policy, upgradedToChatId, upgradedFromBasicGroupId, forwardCursor, e.backwardCursor(),
          initialized, historyComplete, e.archived(), knownTotal, access, requested, lastForwardSync, e.at());
    }
    if (event instanceof ChatSync.HistoryCompleted e) {
      return new ChatState(title, policy, upgradedToChatId, upgradedFromBasicGroupId, forwardCursor, backwardCursor,
          true, true, e.archived(), Math.max(knownTotal, e.archived()), access, requested, lastForwardSync, e.at());
    }
    if (event instanceof ChatSync.UpgradeFromFound e) {
      return new ChatState(title, policy, upgradedToChatId, e.basicGroupId(), forwardCursor, backwardCursor,
          initialized, historyComplete, archived, knownTotal, access, requested, lastForwardSync, lastBackwardSync);
    }
    if (event instanceof ChatSync.TotalCountLearned e) {
      return new ChatState(title, policy, upgradedToChatId, upgradedFromBasicGroupId, forwardCursor, backwardCursor,
          initialized, historyComplete, archived, e.total(), access, requested, lastForwardSync, lastBackwardSync);
    }
    if (event instanceof ChatSync.ChatInaccessible) {
      return withAccess(Access.INACCESSIBLE);
    }
    if (event instanceof ChatSync.ChatDeleted) {
      return withAccess(Access.DELETED);
    }
    if (event instanceof ChatSync.ChatLeft) {
      return withAccess(Access.LEFT);
    }
    if (event instanceof ChatSync.ChatRejoined) {
      return withAccess(Access.ACTIVE);
    }
    if (event instanceof ChatSync.BackwardCursorReset) {
      // start fresh from the newest message; the forward cursor stays, everything below it is re-fetched
      return new ChatState(title, policy, upgradedToChatId, upgradedFromBasicGroupId, forwardCursor, 0, false, false,
          archived, knownTotal, access, requested, lastForwardSync, lastBackwardSync);
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  private ChatState withAccess(Access newAccess) {
    return new ChatState(title, policy, upgradedToChatId, upgradedFromBasicGroupId, forwardCursor, backwardCursor,
        initialized, historyComplete, archived, knownTotal, newAccess, requested, lastForwardSync, lastBackwardSync);
  }
}
