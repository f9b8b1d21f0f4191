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

  /** The account meant: the one given, or the archive's only one. */
  static String account(ArchiveReader archive, String account) {
    List<String> accounts = archive.chats(null).stream().map(ArchiveReader.ChatRow::account).distinct().toList();
    if (account != null) {
      if (!accounts.contains(account)) {
        throw CommandFailed.failure("the archive has no account " + account + " (it has " + accounts + ")");
      }
      return account;
    }
    if (accounts.size() != 1) {
      throw CommandFailed.usage(accounts.isEmpty() ? "the archive has no chats yet"
          : "the archive has several accounts " + accounts + ": name one with --account");
    }
    return accounts.get(0);
  }
}
