package dev.tg.cli;

import com.typesafe.config.ConfigException;
import dev.tg.config.SettingsException;
import dev.tg.verify.CrashCheckCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tg}: the sync node and the commands that read it. Exit codes: 0 ok, 1 failure, 2 usage or config. */
@Command(
    name = "tg",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Mirrors your Telegram account into a local SQLite archive, and reads it.",
    subcommands = {NodeCommand.class, StatusCommand.class, LoginCommand.class, LogoutCommand.class,
        ChatsCommand.class, SyncCommand.class, ContactsCommand.class, HistoryCommand.class, SearchCommand.class,
        ExportCommand.class, ImportCommand.class, VerifyCommand.class, CheckCommand.class, BackupCommand.class,
        RestoreCommand.class, CompletionCommand.class,
        CrashCheckCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with tg's error handling, for main and for tests. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler((failure, cli, parsed) -> {
      cli.getErr().println("tg: " + messageOf(failure));
      cli.getErr().flush();
      if (failure instanceof CommandFailed failed) {
        return failed.exitCode;
      }
      return failure instanceof SettingsException || failure instanceof ConfigException ? USAGE : FAILURE;
    });
    return commandLine;
  }

  private static String messageOf(Throwable failure) {
    return failure.getMessage() == null ? failure.toString() : failure.getMessage();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"tg " + (version == null ? "dev" : version)};
    }
  }
}
