package dev.tg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tg.http.HttpJson;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Audits the archive against Telegram itself (the node asks TDLib, inside the budget, at P4): "
        + "for each chat the covered id range, what is archived against TDLib's estimate, and the holes.",
        "Exit code 1 when a hole is found."})
final class VerifyCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Parameters(index = "0", arity = "0..1", paramLabel = "CHAT", description = "Chat id or title (default: all).")
  String chat;

  @Option(names = "--account", paramLabel = "NAME", description = "Only this account's chats.")
  String account;

  @Option(names = "--json", description = "Print the audits as a JSON array.")
  boolean json;

  @Option(names = "--max-requests", paramLabel = "N", defaultValue = "200",
      description = "TDLib requests one chat's audit may use at most (default ${DEFAULT-VALUE}).")
  int maxRequests;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "Give up waiting after this long (exit 1); 0 waits for ever (default).")
  long timeoutSeconds;

  @Option(names = "--poll", paramLabel = "MILLIS", hidden = true, defaultValue = "500")
  long pollMillis;

  @Override
  public Integer call() throws Exception {
    NodeClient node = new NodeClient(options.settings());
    List<ChatNames.Candidate> candidates = new ArrayList<>();
    node.get("/chats" + (account == null ? "" : "?account=" + encode(account))).forEach(view -> candidates.add(
        new ChatNames.Candidate(view.path("account").asText(), view.path("progress").path("chat_id").asLong(),
            view.path("progress").path("title").asText(), view.path("progress").path("chat_type").asText())));
    List<ChatNames.Candidate> targets = chat == null ? candidates
        : List.of(ChatNames.resolve(chat, candidates, account));
    Map<String, JsonNode> audits = new LinkedHashMap<>();
    for (ChatNames.Candidate target : targets) {
      audits.put(path(target), node.post(path(target) + "&max_requests=" + maxRequests));
    }
    Instant deadline = timeoutSeconds > 0 ? Instant.now().plusSeconds(timeoutSeconds) : null;
    while (audits.values().stream().anyMatch(VerifyCommand::pending)) {
      if (deadline != null && Instant.now().isAfter(deadline)) {
        throw CommandFailed.failure("gave up waiting after " + timeoutSeconds + " s; the audits go on in the node");
      }
      Thread.sleep(pollMillis);
      for (Map.Entry<String, JsonNode> audit : audits.entrySet()) {
        if (pending(audit.getValue())) {
          audit.setValue(node.get(audit.getKey()));
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode all = HttpJson.MAPPER.createArrayNode();
      audits.values().forEach(all::add);
      out.println(HttpJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(all));
    } else {
      audits.values().forEach(audit -> print(out, audit));
    }
    out.flush();
    boolean holes = audits.values().stream().anyMatch(audit -> audit.path("verdict").asText().equals("holes"));
    return holes ? Main.FAILURE : Main.OK;
  }

  private static String path(ChatNames.Candidate target) {
    return "/chats/" + target.chatId() + "/audit?account=" + encode(target.account());
  }

  private static boolean pending(JsonNode audit) {
    String state = audit.path("state").asText();
    return state.equals("queued") || state.equals("running");
  }

  private static void print(PrintWriter out, JsonNode audit) {
    String verdict = audit.path("state").asText().equals("failed")
        ? "audit failed: " + audit.path("error").asText() : audit.path("verdict").asText();
    out.printf("%s (%d): %s%n", audit.path("title").asText(), audit.path("chat_id").asLong(), verdict);
    if (audit.path("covered_to").asLong() != 0) {
      long from = audit.path("covered_from").asLong();
      out.printf("  covered %s..%d: %s archived there; %s archived in all, Telegram estimates %s; %d of %d requests "
              + "(%s)%n", from == 0 ? "start" : Long.toString(from), audit.path("covered_to").asLong(),
          StatusView.number(audit.path("archived_in_range").asLong()),
          StatusView.number(audit.path("archived_messages").asLong()),
          audit.path("known_total").asLong() == 0 ? "?" : StatusView.number(audit.path("known_total").asLong()),
          audit.path("requests").asInt(), audit.path("max_requests").asInt(), audit.path("method").asText());
    }
    for (JsonNode hole : audit.path("holes")) {
      out.printf("  hole: %d message(s) from %d to %d%n", hole.path("count").asInt(), hole.path("from").asLong(),
          hole.path("to").asLong());
    }
    if (!audit.path("missing").isEmpty()) {
      List<String> ids = new ArrayList<>();
      audit.path("missing").forEach(id -> ids.add(id.asText()));
      out.println("  missing: " + String.join(" ", ids));
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
