package dev.tg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.archive.ArchiveLocation;
import dev.tg.archive.ArchiveReader;
import dev.tg.config.NodeSettings;
import dev.tg.http.HttpJson;
import dev.tg.media.MediaFiles;
import dev.tg.status.Status;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "chats", mixinStandardHelpOptions = true,
    description = {"Lists the chats with their sync priority, state and progress.",
        "Asks the running node; when it is down, shows what the archive last recorded."})
final class ChatsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Option(names = "--json", description = "Print the chats as a JSON array.")
  boolean json;

  @Option(names = "--account", paramLabel = "NAME", description = "Only this account.")
  String account;

  @Option(names = "--priority", paramLabel = "P", description = "Only this tier: P0..P4.")
  String priority;

  @Option(names = "--state", paramLabel = "STATE",
      description = "Only this state: complete, in_progress, not_synced, inaccessible, deleted.")
  String state;

  @Override
  public Integer call() throws Exception {
    String tier = priority == null ? null : priority.toUpperCase(Locale.ROOT);
    if (tier != null && !ChatLine.PRIORITIES.contains(tier)) {
      throw CommandFailed.usage("unknown priority " + priority + " (one of " + ChatLine.PRIORITIES + ")");
    }
    if (state != null && !Status.STATES.contains(state)) {
      throw CommandFailed.usage("unknown state " + state + " (one of " + Status.STATES + ")");
    }
    NodeSettings settings = options.settings();
    List<ChatLine> chats;
    try {
      chats = fromNode(new NodeClient(settings), tier);
    } catch (NodeClient.NodeNotRunning notRunning) {
      spec.commandLine().getErr().println("tg: the node is not running; showing the archive's last record of "
          + "each chat");
      try (ArchiveReader archive = ArchiveReader.openExisting(ArchiveLocation.of(settings))) {
        Map<String, Map<Long, Status.ChatMedia>> media = new HashMap<>();
        chats = archive.chats(account).stream()
            .map(row -> ChatLine.fromArchive(row, media.computeIfAbsent(row.account(),
                name -> MediaFiles.byChat(archive, name)).get(row.chatId())))
            .filter(chat -> tier == null || tier.equals(chat.priority()))
            .filter(chat -> state == null || state.equals(chat.state()))
            .toList();
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(HttpJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(chats));
    } else {
      out.print(table(chats));
    }
    out.flush();
    return Main.OK;
  }

  private List<ChatLine> fromNode(NodeClient node, String tier) {
    List<String> query = new ArrayList<>();
    if (account != null) {
      query.add("account=" + URLEncoder.encode(account, StandardCharsets.UTF_8));
    }
    if (tier != null) {
      query.add("priority=" + tier);
    }
    if (state != null) {
      query.add("state=" + state);
    }
    JsonNode views = node.get("/chats" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
    List<ChatLine> chats = new ArrayList<>();
    views.forEach(view -> chats.add(ChatLine.fromNode(view)));
    return chats.stream()
        .sorted(java.util.Comparator.comparing((ChatLine chat) -> chat.priority() == null ? "P9" : chat.priority())
            .thenComparing(chat -> chat.title().toLowerCase(Locale.ROOT)))
        .toList();
  }

  static String table(List<ChatLine> chats) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%-16s %s %-11s %-4s %-12s %19s %5s %7s %5s %11s%n", "ID", Text.fit("Title", 28),
        "Type", "Prio", "State", "Messages", "Done", "ETA", "Queue", "Media"));
    for (ChatLine chat : chats) {
      String messages = StatusView.number(chat.syncedMessages()) + " / " + StatusView.number(chat.totalMessages());
      String done = chat.historyComplete() ? "100%"
          : chat.totalMessages() > 0 ? Math.min(99, 100 * chat.syncedMessages() / chat.totalMessages()) + "%" : "-";
      out.append(String.format("%-16d %s %-11s %-4s %-12s %19s %5s %7s %5s %11s%n", chat.chatId(),
          Text.fit(chat.title(), 28), Text.fit(chat.chatType(), 11).strip(),
          chat.priority() == null ? "-" : chat.priority(), chat.state(), messages, done,
          chat.etaSeconds() == null || chat.historyComplete() ? "-" : StatusView.duration(chat.etaSeconds()),
          chat.queuePosition() == null ? "-" : "#" + chat.queuePosition(), ChatLine.mediaCell(chat.media())));
    }
    out.append(chats.size()).append(chats.size() == 1 ? " chat" : " chats").append(System.lineSeparator());
    return out.toString();
  }
}
