package dev.tg.cli;

import dev.tg.archive.ArchiveReader;
import java.util.List;

/** Chats named on the command line, found in the archive (no node needed). */
final class ArchiveChats {
  private ArchiveChats() {}

  static ChatNames.Candidate resolve(ArchiveReader archive, String name, String account) {
    List<ChatNames.Candidate> candidates = archive.chats(account).stream()
        .map(row -> new ChatNames.Candidate(row.account(), row.chatId(), row.title(), row.chatType(),
            row.upgradedToChatId() == null ? 0 : row.upgradedToChatId()))
        .toList();
    return ChatNames.resolve(name, candidates, account);
  }
}
