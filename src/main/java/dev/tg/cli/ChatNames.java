package dev.tg.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the one chat a user means: by id, by exact title, or by a part of the title (case-insensitive). More
 * than one match is a usage error (exit 2) listing the candidates; none is a failure (exit 1).
 */
final class ChatNames {
  private ChatNames() {}

  /** A chat that can be named; {@code upgradedTo} is the supergroup a basic group became, else 0. */
  record Candidate(String account, long chatId, String title, String chatType, long upgradedTo) {
    Candidate(String account, long chatId, String title, String chatType) {
      this(account, chatId, title, chatType, 0);
    }
  }

  static Candidate resolve(String name, List<Candidate> chats, String account) {
    List<Candidate> inAccount = chats.stream()
        .filter(chat -> account == null || chat.account().equals(account))
        .toList();
    String wanted = name.strip();
    List<Candidate> found = List.of();
    if (wanted.matches("-?\\d{1,19}")) {
      long id = parseId(wanted);
      found = inAccount.stream().filter(chat -> chat.chatId() == id).toList();
    }
    if (found.isEmpty()) {
      String folded = fold(wanted);
      found = inAccount.stream().filter(chat -> fold(chat.title()).equals(folded)).toList();
      if (found.isEmpty() && !folded.isEmpty()) {
        found = inAccount.stream().filter(chat -> fold(chat.title()).contains(folded)).toList();
      }
    }
    // a title shared by an upgraded basic group and its supergroup names their one history: the supergroup
    List<Candidate> matches = found;
    found = found.stream().filter(chat -> matches.stream().noneMatch(other -> other != chat
        && other.account().equals(chat.account()) && other.chatId() == chat.upgradedTo())).toList();
    if (found.size() == 1) {
      return found.get(0);
    }
    if (found.isEmpty()) {
      throw CommandFailed.failure("no chat " + quoted(wanted) + (account == null ? "" : " in account " + account)
          + " (`tg chats` lists them)");
    }
    List<String> lines = new ArrayList<>();
    lines.add(quoted(wanted) + " names " + found.size() + " chats; name one by its id:");
    for (Candidate chat : found) {
      lines.add(String.format("  %-16d %s (%s, account %s)", chat.chatId(), chat.title(), chat.chatType(),
          chat.account()));
    }
    throw CommandFailed.usage(String.join(System.lineSeparator(), lines));
  }

  private static long parseId(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  private static String fold(String text) {
    return text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
  }

  private static String quoted(String text) {
    return "\"" + text + "\"";
  }
}
