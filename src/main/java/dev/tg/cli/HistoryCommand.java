package dev.tg.cli;

import dev.tg.archive.ArchiveLocation;
import dev.tg.archive.ArchiveReader;
import dev.tg.archive.ArchiveReader.MessageRow;
import dev.tg.http.HttpJson;
import dev.tg.media.MediaFiles;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "history", mixinStandardHelpOptions = true,
    description = {"Prints a chat's newest archived messages, oldest first (no node needed); --since and --until "
        + "pick a range. A message's file is shown by its path in the media store, or why it is not there.",
        "A basic group upgraded to a supergroup reads as one history with it."})
final class HistoryCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Parameters(index = "0", paramLabel = "CHAT", description = "Chat id or title.")
  String chat;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "50",
      description = "How many messages (default ${DEFAULT-VALUE}).")
  int limit;

  @Mixin
  WindowOptions windowOptions;

  @Option(names = "--json", description = "Print the messages as a JSON array.")
  boolean json;

  @Option(names = "--account", paramLabel = "NAME", description = "The account the chat belongs to.")
  String account;

  @Override
  public Integer call() throws Exception {
    if (limit < 1) {
      throw CommandFailed.usage("--limit must be at least 1");
    }
    List<MessageRow> messages;
    Map<Long, String> files;
    try (ArchiveReader archive = ArchiveReader.openExisting(ArchiveLocation.of(options.settings()))) {
      ChatNames.Candidate target = ArchiveChats.resolve(archive, chat, account);
      Set<Long> history = archive.historyOf(target.account(), target.chatId());
      messages = archive.history(target.account(), history, windowOptions.window(ZoneId.systemDefault()), limit);
      files = MediaFiles.describe(archive, options.settings().mediaDir(), target.account(), List.copyOf(history));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(HttpJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(messages));
    } else {
      ZoneId zone = ZoneId.systemDefault();
      for (MessageRow message : messages) {
        out.println(Messages.line(message, false, zone));
        if (files.containsKey(message.messageId())) {
          out.println("    file: " + files.get(message.messageId()));
        }
      }
    }
    out.flush();
    return Main.OK;
  }
}
