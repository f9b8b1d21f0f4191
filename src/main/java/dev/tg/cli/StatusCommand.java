package dev.tg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.config.NodeSettings;
import dev.tg.config.TgConfig;
import dev.tg.http.HttpJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Shows the running node: daemon, contacts, chats by priority, active jobs, rate limiting.")
final class StatusCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print the status as JSON (the design's SyncStatus names).")
  boolean json;

  @Option(names = "--watch", description = "Refresh every second until interrupted.")
  boolean watch;

  @Option(names = "--account", paramLabel = "NAME", description = "Only this account.")
  String account;

  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file over the defaults.")
  Path config;

  @Override
  public Integer call() throws Exception {
    NodeClient node = new NodeClient(NodeSettings.from(TgConfig.load(config)));
    PrintWriter out = spec.commandLine().getOut();
    String path = account == null ? "/status" : "/status?account=" + account;
    do {
      JsonNode status = node.get(path);
      if (watch && !json) {
        out.print("\033[H\033[2J");
      }
      out.println(json ? HttpJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(status)
          : StatusView.render(status));
      out.flush();
      if (watch) {
        Thread.sleep(Duration.ofSeconds(1).toMillis());
      }
    } while (watch);
    return Main.OK;
  }
}
