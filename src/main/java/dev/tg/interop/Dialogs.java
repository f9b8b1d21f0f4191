package dev.tg.interop;

import dev.tg.archive.ArchiveReader;
import dev.tg.archive.ArchiveReader.ChatRow;
import java.util.List;

/** The chats an export writes: a basic group upgraded to a supergroup is written as a part of the supergroup. */
final class Dialogs {
  private Dialogs() {}

  /** Every chat with archived messages that is not a part of its successor's history. */
  static List<ChatRow> all(ArchiveReader archive, String account) {
    List<ChatRow> chats = archive.chats(account);
    return chats.stream()
        .filter(chat -> chat.archivedMessages() > 0)
        .filter(chat -> chat.upgradedToChatId() == null
            || chats.stream().noneMatch(other -> other.chatId() == chat.upgradedToChatId()))
        .toList();
  }

  /** The chat that stands for the history of {@code chatId}: the supergroup of an upgraded pair. */
  static ChatRow of(ArchiveReader archive, String account, long chatId) {
    var history = archive.historyOf(account, chatId);
    List<ChatRow> rows = archive.chats(account).stream().filter(row -> history.contains(row.chatId())).toList();
    if (rows.isEmpty()) {
      throw new InteropException("no chat " + chatId + " in the archive of " + account);
    }
    return rows.stream().filter(row -> row.upgradedToChatId() == null).findFirst().orElse(rows.get(0));
  }
}
