package dev.tg.simulator;

import dev.tg.simulator.SimChat.ChatList;
import java.util.LinkedHashMap;
import java.util.Map;

/** One chat of the world with its mutable state; guarded by the lock of its {@link SimulatedTelegram}. */
final class WorldChat {
  /** A message the account scheduled, waiting for its send date; {@code serverId} is its scheduled server id. */
  record ScheduledMessage(long id, int serverId, String text, int sendDate) {}

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
  /** In {@code chatListArchive} rather than the main list. */
  final boolean archived;
  /** A public channel the account never joined: TDLib knows it only from messages forwarded from it. */
  final boolean foreign;
  final ChatHistory history = new ChatHistory();
  final int createdDate;
  /** The account's scheduled messages here, by id. */
  final Map<Long, ScheduledMessage> scheduled = new LinkedHashMap<>();
  String title;
  int memberCount;
  boolean accessible = true;
  boolean deleted;
  boolean member;
  private int lastScheduledServerId;

  WorldChat(
      long id, ChatKind kind, long entityId, long partnerUserId, int memberPoolStart, boolean memberCountHidden,
      long upgradeLinkedChatId, boolean upgradedAway, boolean archived, boolean foreign, int createdDate, String title,
      int memberCount) {
    this.id = id;
    this.kind = kind;
    this.entityId = entityId;
    this.partnerUserId = partnerUserId;
    this.memberPoolStart = memberPoolStart;
    this.memberCountHidden = memberCountHidden;
    this.upgradeLinkedChatId = upgradeLinkedChatId;
    this.upgradedAway = upgradedAway;
    this.archived = archived;
    this.foreign = foreign;
    this.createdDate = createdDate;
    this.title = title;
    this.memberCount = memberCount;
    this.member = !foreign;
  }

  /** TDLib's chat list order: newer last message first. */
  long order() {
    int last = history.lastLiveIndex();
    int date = last < 0 ? createdDate : history.dateAt(last);
    return ((long) date << 32) | (Texts.hash(id) & 0xFFFF_FFFFL);
  }

  /**
   * The list the chat is in, as DialogManager::is_dialog_removed_from_dialog_list decides: a basic group leaves the
   * lists only when deactivated (upgraded), a supergroup or channel as soon as the account is no member.
   */
  ChatList list() {
    if (deleted || upgradedAway || (kind.isSupergroup() && !member)) {
      return ChatList.NONE;
    }
    return archived ? ChatList.ARCHIVE : ChatList.MAIN;
  }

  /** Whether the world still brings messages here: not to chats the account left, lost or deleted. */
  boolean receivesMessages() {
    return member && accessible && !deleted && !upgradedAway;
  }

  /** The next scheduled server id, which MessageId.h gives 18 bits. */
  int nextScheduledServerId() {
    lastScheduledServerId = lastScheduledServerId % ((1 << 18) - 1) + 1;
    return lastScheduledServerId;
  }

  SimChat snapshot() {
    return new SimChat(id, kind, entityId, title, memberCount, accessible, deleted, upgradeLinkedChatId, list(),
        member);
  }
}
