package dev.tg.cli;

import dev.tg.archive.ArchiveLocation;
import dev.tg.archive.ArchiveReader;
import dev.tg.archive.ArchiveReader.MessageRow;
import dev.tg.http.HttpJson;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "search", mixinStandardHelpOptions = true,
    description = {"Finds archived messages containing TEXT, newest first, in any script (no node needed).",
        "Case-insensitive; three characters or more use the full-text index, shorter text a full scan."})
final class SearchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Parameters(index = "0", paramLabel = "TEXT", description = "The text to find.")
  String text;

  @Option(names = "--chat", paramLabel = "CHAT", description = "Only this chat (id or title).")
  String chat;

  @Option(names = "--account", paramLabel = "NAME", description = "Only this account.")
  String account;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "100",
      description = "At most this many messages (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print the messages as a JSON array.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (text.isBlank()) {
      throw CommandFailed.usage("nothing to search for");
    }
    if (limit < 1) {
      throw CommandFailed.usage("--limit must be at least 1");
    }
    List<MessageRow> found;
    try (ArchiveReader archive = ArchiveReader.openExisting(ArchiveLocation.of(options.settings()))) {
      String inAccount = account;
      Set<Long> chats = null;
      if (chat != null) {
        ChatNames.Candidate target = ArchiveChats.resolve(archive, chat, account);
        inAccount = target.account();
        chats = archive.historyOf(target.account(), target.chatId());
      }
      found = archive.search(text.strip(), inAccount, chats, limit);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(HttpJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(found));
    } else {
      ZoneId zone = ZoneId.systemDefault();
      found.forEach(message -> out.println(Messages.line(message, chat == null, zone)));
      out.println(found.size() + (found.size() == 1 ? " message" : " messages")
          + (found.size() == limit ? " (the limit; --limit shows more)" : ""));
    }
    out.flush();
    return Main.OK;
  }
}
