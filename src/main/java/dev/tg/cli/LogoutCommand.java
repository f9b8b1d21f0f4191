package dev.tg.cli;

import com.typesafe.config.Config;
import dev.tg.config.NodeSettings;
import dev.tg.config.TgConfig;
import dev.tg.telegram.LoginDialogue;
import dev.tg.telegram.TdDispatcher;
import dev.tg.telegram.TelegramCredentials;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "logout", mixinStandardHelpOptions = true,
    description = "Logs an account out of Telegram and removes its session from the data directory "
        + "(the archive stays). Stop `tg node` first.")
final class LogoutCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--account", paramLabel = "NAME", defaultValue = LoginCommand.DEFAULT_ACCOUNT,
      description = "The account's name in tg (default: ${DEFAULT-VALUE}).")
  String account;

  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file over the defaults.")
  Path config;

  LoginCommand.TdJsonSource tdJson = LoginCommand::nativeTdJson;

  @Override
  public Integer call() throws Exception {
    LoginCommand.checkAccountName(spec, account);
    Config loaded = TgConfig.load(config);
    NodeSettings settings = NodeSettings.from(loaded);
    Path sessionDir = settings.sessionDir(account);
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isDirectory(sessionDir)) {
      out.println("Account " + account + " has no session here; nothing to do.");
      return Main.OK;
    }
    Optional<TelegramCredentials> credentials = TelegramCredentials.existing(loaded, sessionDir.getParent());
    int exitCode = Main.OK;
    if (credentials.isEmpty()) {
      out.println("Account " + account + "'s session cannot be opened (no api_id/api_hash or database key): "
          + "removing it here only.");
    } else {
      try (TdDispatcher dispatcher = new TdDispatcher(tdJson.open(loaded, settings), "logout-" + account)) {
        LoginDialogue.Outcome outcome = new LoginDialogue(dispatcher, credentials.get().tdlibParameters(sessionDir),
            LoginDialogue.Prompter.silent(), LoginCommand.loginTimeout(loaded)).logOut();
        out.println(outcome == LoginDialogue.Outcome.LOGGED_IN
            ? "Logged out of Telegram: account " + account + "."
            : "Account " + account + " was not logged in.");
      } catch (LoginDialogue.SessionNotOpened e) {
        spec.commandLine().getErr().println("tg logout: " + e.getMessage() + ". Nothing was changed.");
        return Main.FAILURE;
      } catch (LoginDialogue.LoginFailed e) {
        spec.commandLine().getErr().println("tg logout: could not log out on Telegram: " + e.getMessage()
            + ". The session is removed here; if it is still listed in Telegram under Settings > Devices, "
            + "end it there.");
        exitCode = Main.FAILURE;
      }
    }
    deleteTree(sessionDir);
    out.println("Removed the session in " + sessionDir + ".");
    return exitCode;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
