package dev.tg.simulator;

/**
 * Ground truth about one chat.
 *
 * @param entityId the user, basic group, supergroup or secret chat id behind the chat id
 * @param upgradeLinkedChatId for a basic group upgraded to a supergroup, the other chat of the pair; else 0
 */
public record SimChat(
    long id,
    ChatKind kind,
    long entityId,
    String title,
    int memberCount,
    boolean accessible,
    boolean deleted,
    long upgradeLinkedChatId) {}
