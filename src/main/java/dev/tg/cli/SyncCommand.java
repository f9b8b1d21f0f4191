package dev.tg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.archive.Storage;
import dev.tg.config.NodeSettings;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sync", mixinStandardHelpOptions = true,
    description = {"Asks the running node to sync a chat's whole history now (priority P4), whatever its size.",
        "The chat is named by id or by title (a part of it is enough when it is unique).",
        "With --media, every file of the chat is downloaded too, whatever the media policy."})
final class SyncCommand implements Callable<Integer> {
  private static final int BAR = 30;

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Parameters(index = "0", paramLabel = "CHAT", description = "Chat id or title.")
  String chat;

  @Option(names = "--wait", description = "Show a progress bar until the history (and with --media, every file) is "
      + "complete.")
  boolean wait;

  @Option(names = "--media", description = "Download every file of the chat, of messages archived later too, "
      + "whatever tg.media.policy says.")
  boolean media;

  @Option(names = "--account", paramLabel = "NAME", description = "The account the chat belongs to.")
  String account;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "With --wait: give up after this long (exit 1); 0 waits for ever (default).")
  long timeoutSeconds;

  @Option(names = "--poll", paramLabel = "MILLIS", hidden = true, defaultValue = "500")
  long pollMillis;

  @Override
  public Integer call() throws Exception {
    NodeSettings settings = options.settings();
    NodeClient node = new NodeClient(settings);
    List<ChatNames.Candidate> candidates = new ArrayList<>();
    node.get("/chats" + accountQuery("?")).forEach(view -> candidates.add(new ChatNames.Candidate(
        view.path("account").asText(), view.path("progress").path("chat_id").asLong(),
        view.path("progress").path("title").asText(), view.path("progress").path("chat_type").asText())));
    ChatNames.Candidate target = ChatNames.resolve(chat, candidates, account);
    String query = "?account=" + URLEncoder.encode(target.account(), StandardCharsets.UTF_8);
    JsonNode accepted = node.post("/chats/" + target.chatId() + "/sync" + query);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("sync of %s (%d) requested: priority %s%n", target.title(), target.chatId(),
        accepted.path("priority").asText("P4"));
    if (media) {
      node.post("/chats/" + target.chatId() + "/media" + query);
      out.printf("every file of %s will be downloaded%n", target.title());
    }
    out.flush();
    if (!wait) {
      return Main.OK;
    }
    Instant deadline = timeoutSeconds > 0 ? Instant.now().plusSeconds(timeoutSeconds) : null;
    while (true) {
      JsonNode view = node.get("/chats/" + target.chatId() + query);
      JsonNode progress = view.path("progress");
      String state = view.path("state").asText();
      out.print("\r" + bar(view));
      out.flush();
      if (progress.path("history_complete").asBoolean() && (!media || filesComplete(view.path("media")))) {
        out.println();
        out.printf("%s: history complete, %s messages%s%n", target.title(),
            StatusView.number(progress.path("archived_messages").asLong()), media ? files(view.path("media")) : "");
        out.flush();
        return Main.OK;
      }
      if (state.equals("left") || state.equals("inaccessible") || state.equals("deleted")) {
        out.println();
        out.flush();
        throw CommandFailed.failure(target.title() + " is " + state + "; its history cannot be synced"
            + (progress.path("last_error").isTextual() ? ": " + progress.path("last_error").asText() : ""));
      }
      if (deadline != null && Instant.now().isAfter(deadline)) {
        out.println();
        out.flush();
        throw CommandFailed.failure("gave up waiting after " + timeoutSeconds + " s; the sync goes on in the node");
      }
      Thread.sleep(Duration.ofMillis(pollMillis).toMillis());
    }
  }

  /** Every message looked at and no file waiting: each is stored or has failed. */
  private static boolean filesComplete(JsonNode files) {
    return files.path("messages_to_look_at").asLong() == 0 && files.path("waiting_files").asLong() == 0;
  }

  /** {@code , 12 files stored (4 MB), 1 failed}. */
  private static String files(JsonNode files) {
    long failed = files.path("failed_files").asLong();
    return ", " + StatusView.number(files.path("stored_files").asLong()) + " files stored ("
        + Storage.bytes(files.path("stored_bytes").asLong()) + ")" + (failed > 0 ? ", " + failed + " failed" : "");
  }

  private String accountQuery(String prefix) {
    return account == null ? "" : prefix + "account=" + URLEncoder.encode(account, StandardCharsets.UTF_8);
  }

  /** {@code [#########.....................]  31%  1,234 / 3,981 messages  ETA 12s}. */
  static String bar(JsonNode view) {
    JsonNode progress = view.path("progress");
    long archived = progress.path("archived_messages").asLong();
    long known = Math.max(archived, progress.path("known_total").asLong());
    boolean complete = progress.path("history_complete").asBoolean();
    int percent = complete ? 100 : known > 0 ? (int) Math.min(99, 100 * archived / known) : 0;
    int filled = percent * BAR / 100;
    String eta = view.path("eta_seconds").isNumber() && !complete
        ? "  ETA " + StatusView.duration(view.path("eta_seconds").asLong()) : "";
    return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + String.format("%3d%%", percent) + "  "
        + StatusView.number(archived) + " / " + (known > 0 ? StatusView.number(known) : "?") + " messages" + eta
        + (view.path("media").isObject()
            ? "  files " + ChatLine.mediaCell(ChatLine.media(view.path("media"))) : "") + "   ";
  }
}
