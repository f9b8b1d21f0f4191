package dev.tg.cli;

import com.typesafe.config.Config;
import dev.tg.config.NodeSettings;
import dev.tg.config.TgConfig;
import dev.tg.node.Node;
import dev.tg.node.NodeLauncher;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Runs the sync node until it is stopped (Ctrl-C or SIGTERM).")
final class NodeCommand implements Callable<Integer> {

  @Option(names = "--demo", description = "Run on the built-in simulated account instead of a real one.")
  boolean demo;

  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file over the defaults.")
  Path config;

  @Override
  public Integer call() {
    Config loaded = TgConfig.load(config);
    NodeSettings settings = NodeSettings.from(loaded);
    if (!demo) {
      throw new IllegalStateException("no Telegram account is set up yet: run `tg node --demo` to try the "
          + "simulated account");
    }
    NodeLauncher.RunningNode node = NodeLauncher.startDemo(loaded, settings);
    node.system().getWhenTerminated().toCompletableFuture().join();
    boolean failed = org.apache.pekko.actor.CoordinatedShutdown.get(node.system()).getShutdownReason()
        .filter(Node.StartupFailed.INSTANCE::equals).isPresent();
    return failed ? Main.FAILURE : Main.OK;
  }
}
