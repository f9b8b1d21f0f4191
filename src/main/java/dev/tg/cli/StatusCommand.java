package dev.tg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.http.HttpJson;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Shows the running node: daemon, contacts, chats by priority, active jobs, rate limiting.")
final class StatusCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Option(names = "--json", description = "Print the status as JSON (the design's SyncStatus names).")
  boolean json;

  @Option(names = "--watch", description = "Refresh until interrupted (Ctrl-C).")
  boolean watch;

  @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
      description = "With --watch: seconds between refreshes (default ${DEFAULT-VALUE}).")
  double intervalSeconds;

  // tests stop a watch after a few refreshes
  @Option(names = "--refreshes", hidden = true, defaultValue = "0")
  int refreshes;

  @Option(names = "--account", paramLabel = "NAME", description = "Only this account.")
  String account;

  @Override
  public Integer call() throws Exception {
    if (intervalSeconds <= 0) {
      throw CommandFailed.usage("--interval must be positive");
    }
    NodeClient node = new NodeClient(options.settings());
    PrintWriter out = spec.commandLine().getOut();
    String path = account == null ? "/status" : "/status?account=" + URLEncoder.encode(account, StandardCharsets.UTF_8);
    int shown = 0;
    while (true) {
      JsonNode status = node.get(path);
      if (watch && !json) {
        out.print("\033[H\033[2J");
      }
      out.println(json ? HttpJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(status)
          : StatusView.render(status));
      out.flush();
      shown++;
      if (!watch || (refreshes > 0 && shown >= refreshes)) {
        return Main.OK;
      }
      Thread.sleep((long) (intervalSeconds * 1000));
    }
  }
}
