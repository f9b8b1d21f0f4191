package dev.tg.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.tg.config.NodeSettings;
import dev.tg.config.OwnerOnlyFiles;
import dev.tg.config.TgConfig;
import dev.tg.datadir.DataDirLock;
import dev.tg.node.Node;
import dev.tg.node.NodeLauncher;
import dev.tg.telegram.LoginDialogue;
import dev.tg.telegram.RequestLog;
import dev.tg.telegram.TdDispatcher;
import dev.tg.telegram.TelegramCredentials;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.pekko.actor.CoordinatedShutdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "node", mixinStandardHelpOptions = true,
    description = {"Runs the sync node until it is stopped (Ctrl-C or SIGTERM).",
        "It runs the accounts of tg.accounts, or else every account `tg login` has set up."})
final class NodeCommand implements Callable<Integer> {
  // far longer than a clean stop takes (closing TDLib's clients waits 5 s at most)
  private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);

  @Spec
  CommandSpec spec;

  @Option(names = "--demo", description = "Run on the built-in simulated account instead of a real one.")
  boolean demo;

  @Option(names = "--cluster",
      description = "Join the cluster of tg.cluster.seed-nodes and run the accounts sharded over its members "
          + "(tg.cluster.enabled; needs tg.storage.database = postgres).")
  boolean cluster;

  @Option(names = "--request-log", paramLabel = "FILE",
      description = "Write every request to TDLib and each answer's type to FILE, as JSON lines "
          + "(tg.telegram.request-log).")
  Path requestLog;

  @Option(names = "--request-log-full",
      description = "Write answers and updates whole in the request log (tg.telegram.request-log-full).")
  boolean requestLogFull;

  @Mixin
  ConfigOptions configOptions = new ConfigOptions();

  LoginCommand.TdJsonSource tdJson = LoginCommand::nativeTdJson;

  @Override
  public Integer call() throws Exception {
    Config loaded = withRequestLog(TgConfig.load(configOptions.config, configOptions.syncConfig));
    NodeSettings settings = NodeSettings.from(loaded, cluster);
    NodeLauncher.RunningNode node;
    try {
      if (demo) {
        node = NodeLauncher.startDemo(loaded, settings);
      } else {
        Optional<NodeLauncher.RunningNode> started = startAccounts(loaded, settings);
        if (started.isEmpty()) {
          return Main.FAILURE;
        }
        node = started.get();
      }
    } catch (DataDirLock.Held held) {
      throw CommandFailed.usage(held.getMessage());
    }
    Thread exitOnSigterm = new Thread(() -> exitWhenStopped(node), "tg-exit-code");
    Runtime.getRuntime().addShutdownHook(exitOnSigterm);
    node.whenStopped().toCompletableFuture().join();
    try {
      Runtime.getRuntime().removeShutdownHook(exitOnSigterm);
    } catch (IllegalStateException stoppingOnSigterm) {
      // the JVM is shutting down: the hook gives the exit code
    }
    // a member downed by the cluster (partition, or found unreachable) exits 1, so that a service manager starts
    // it again and it rejoins as a new member
    boolean failed = CoordinatedShutdown.get(node.system()).getShutdownReason()
        .filter(reason -> reason.equals(Node.StartupFailed.INSTANCE)
            || reason.equals(CoordinatedShutdown.clusterDowningReason()))
        .isPresent();
    return failed ? Main.FAILURE : Main.OK;
  }

  /**
   * On SIGTERM the JVM would exit with 143 even after a clean stop: once the node has stopped (Pekko's own
   * shutdown hook runs the coordinated shutdown meanwhile), exit 0 so that a service manager sees success.
   */
  private static void exitWhenStopped(NodeLauncher.RunningNode node) {
    try {
      node.whenStopped().toCompletableFuture().get(STOP_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      System.err.println("tg: the node did not stop cleanly: " + e);
      Runtime.getRuntime().halt(Main.FAILURE);
    }
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(Main.OK);
  }

  private Config withRequestLog(Config loaded) {
    Config config = loaded;
    if (requestLog != null) {
      config = config.withValue("tg.telegram.request-log", ConfigValueFactory.fromAnyRef(requestLog.toString()));
    }
    if (requestLogFull) {
      config = config.withValue("tg.telegram.request-log-full", ConfigValueFactory.fromAnyRef(true));
    }
    return config;
  }

  /** The real accounts on the native TDLib, all on one client instance; empty when none can run. */
  private Optional<NodeLauncher.RunningNode> startAccounts(Config loaded, NodeSettings settings) {
    PrintWriter err = spec.commandLine().getErr();
    List<String> accounts = accounts(loaded, settings);
    if (accounts.isEmpty()) {
      err.println("tg: no Telegram account is set up: log one in with `tg login --account NAME` "
          + "(or try the simulated account with `tg node --demo`)");
      return Optional.empty();
    }
    // td_receive returns the objects of every client: all accounts share one TDLib and one receiver thread
    RequestLog log = NodeLauncher.requestLog(settings);
    TdDispatcher dispatcher = new TdDispatcher(tdJson.open(loaded, settings), "tdlib", log);
    List<Node.AccountPlan> plans = new ArrayList<>();
    List<String> notLoggedIn = new ArrayList<>();
    for (String account : accounts) {
      Path sessionDir = settings.sessionDir(account);
      Optional<TelegramCredentials> credentials = TelegramCredentials.existing(loaded, sessionDir.getParent());
      if (credentials.isPresent() && settings.database().onPostgres()) {
        // no probe: TDLib opens the session only under the account's lease, after the session came from the
        // database (another node may be running it now); not logged in shows in the account's status then
        OwnerOnlyFiles.createDirectories(sessionDir);
        plans.add(new Node.AccountPlan(account, dispatcher, credentials.get().tdlibParameters(sessionDir)));
        continue;
      }
      if (credentials.isEmpty() || !Files.isDirectory(sessionDir)) {
        notLoggedIn.add(account);
        continue;
      }
      try {
        LoginDialogue.Outcome outcome = new LoginDialogue(dispatcher, credentials.get().tdlibParameters(sessionDir),
            LoginDialogue.Prompter.silent(), LoginCommand.loginTimeout(loaded)).probe();
        if (outcome == LoginDialogue.Outcome.NOT_LOGGED_IN) {
          notLoggedIn.add(account);
        } else {
          plans.add(new Node.AccountPlan(account, dispatcher, credentials.get().tdlibParameters(sessionDir)));
        }
      } catch (LoginDialogue.LoginFailed e) {
        err.println("tg: account " + account + " cannot be opened: " + e.getMessage());
      }
    }
    for (String account : notLoggedIn) {
      err.println("tg: account " + account + " is not logged in: run `tg login --account " + account + "`");
    }
    err.flush();
    if (plans.isEmpty()) {
      dispatcher.close();
      if (log != null) {
        log.close();
      }
      return Optional.empty();
    }
    return Optional.of(NodeLauncher.start(loaded, settings, plans, List.of(), log));
  }

  /** {@code tg.accounts}, or else the accounts `tg login` set up in the data directory. */
  static List<String> accounts(Config config, NodeSettings settings) {
    List<String> configured = config.getStringList("tg.accounts");
    if (!configured.isEmpty()) {
      return configured;
    }
    Path accountsDir = settings.dataDir().resolve("accounts");
    if (!Files.isDirectory(accountsDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(accountsDir)) {
      return dirs
          .filter(dir -> Files.isRegularFile(dir.resolve(TelegramCredentials.FILE_NAME)))
          .filter(dir -> Files.isDirectory(settings.sessionDir(dir.getFileName().toString())))
          .map(dir -> dir.getFileName().toString())
          .filter(name -> !name.equals(NodeLauncher.DEMO_ACCOUNT))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + accountsDir, e);
    }
  }
}
