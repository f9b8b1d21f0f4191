package dev.tg.simulator;

/**
 * Ground truth about one chat.
 *
 * @param entityId the user, basic group, supergroup or secret chat id behind the chat id
 * @param upgradeLinkedChatId for a basic group upgraded to a supergroup, the other chat of the pair; else 0
 * @param list the chat list TDLib shows the chat in; {@link ChatList#NONE} for a chat the account merely knows of
 * @param member whether the account is in the chat: false once it left, and for chats it never joined
 */
public record SimChat(
    long id,
    ChatKind kind,
    long entityId,
    String title,
    int memberCount,
    boolean accessible,
    boolean deleted,
    long upgradeLinkedChatId,
    ChatList list,
    boolean member) {

  /** TDLib's chat lists the simulator fills: {@code chatListMain}, {@code chatListArchive}, or neither. */
  public enum ChatList {
    MAIN("chatListMain"),
    ARCHIVE("chatListArchive"),
    NONE("");

    final String type;

    ChatList(String type) {
      this.type = type;
    }
  }
}
