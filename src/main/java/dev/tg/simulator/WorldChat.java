package dev.tg.simulator;

/** One chat of the world with its mutable state; guarded by the lock of its {@link SimulatedTelegram}. */
final class WorldChat {
  final long id;
  final ChatKind kind;
  final long entityId;
  /** The other user of a private or secret chat; 0 for groups. */
  final long partnerUserId;
  /** Where this group's members start in the world's member pool, so senders are stable. */
  final int memberPoolStart;
  /** The supergroup's {@code member_count} is 0 and only {@code getSupergroupFullInfo} tells it. */
  final boolean memberCountHidden;
  final long upgradeLinkedChatId;
  /** A basic group upgraded to a supergroup: it receives no more messages. */
  final boolean upgradedAway;
  final ChatHistory history = new ChatHistory();
  final int createdDate;
  String title;
  int memberCount;
  boolean accessible = true;
  boolean deleted;

  WorldChat(
      long id, ChatKind kind, long entityId, long partnerUserId, int memberPoolStart, boolean memberCountHidden,
      long upgradeLinkedChatId, boolean upgradedAway, int createdDate, String title, int memberCount) {
    this.id = id;
    this.kind = kind;
    this.entityId = entityId;
    this.partnerUserId = partnerUserId;
    this.memberPoolStart = memberPoolStart;
    this.memberCountHidden = memberCountHidden;
    this.upgradeLinkedChatId = upgradeLinkedChatId;
    this.upgradedAway = upgradedAway;
    this.createdDate = createdDate;
    this.title = title;
    this.memberCount = memberCount;
  }

  /** TDLib's chat list order: newer last message first. */
  long order() {
    int last = history.lastLiveIndex();
    int date = last < 0 ? createdDate : history.dateAt(last);
    return ((long) date << 32) | (Texts.hash(id) & 0xFFFF_FFFFL);
  }

  SimChat snapshot() {
    return new SimChat(id, kind, entityId, title, memberCount, accessible, deleted, upgradeLinkedChatId);
  }
}
