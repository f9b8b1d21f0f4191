package dev.tg.cli;

import com.typesafe.config.Config;
import dev.tg.config.NodeSettings;
import dev.tg.config.OwnerOnlyFiles;
import dev.tg.config.SettingsException;
import dev.tg.config.TgConfig;
import dev.tg.telegram.LoginDialogue;
import dev.tg.telegram.NativeTdJson;
import dev.tg.telegram.TdDispatcher;
import dev.tg.telegram.TdJson;
import dev.tg.telegram.TdlibLibrary;
import dev.tg.telegram.TelegramCredentials;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "login", mixinStandardHelpOptions = true,
    description = {"Logs a Telegram account in: asks for the phone number, the code and the 2-step verification "
        + "password (or shows a QR code to scan), and keeps the session in the data directory, readable by you only.",
        "The first time, it also asks for the api_id and api_hash of your application from https://my.telegram.org "
        + "(unless tg.telegram.api-id/api-hash or TG_API_ID/TG_API_HASH are set)."})
final class LoginCommand implements Callable<Integer> {
  static final String DEFAULT_ACCOUNT = "main";
  private static final long TDLIB_LOG_MAX_BYTES = 50L << 20;

  /** Where the commands get TDLib from: the native library, or the simulator in tests. */
  interface TdJsonSource {
    TdJson open(Config config, NodeSettings settings);
  }

  @Spec
  CommandSpec spec;

  @Option(names = "--account", paramLabel = "NAME", defaultValue = DEFAULT_ACCOUNT,
      description = "The account's name in tg (default: ${DEFAULT-VALUE}).")
  String account;

  @Option(names = "--qr", description = "Log in by scanning a QR code with a phone where you are logged in.")
  boolean qr;

  @Option(names = "--test-dc", description = "Use Telegram's test servers instead of the real ones.")
  boolean testDc;

  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file over the defaults.")
  Path config;

  TdJsonSource tdJson = LoginCommand::nativeTdJson;

  /** The answers; null reads the terminal (hidden input for secrets) or, without one, standard input. */
  InputStream input;

  @Override
  public Integer call() throws Exception {
    checkAccountName(spec, account);
    Config loaded = TgConfig.load(config);
    NodeSettings settings = NodeSettings.from(loaded);
    Path sessionDir = prepareAccountDir(settings, account);
    PrintWriter out = spec.commandLine().getOut();
    LoginDialogue.Prompter prompter = prompter(out);
    TdJson td = tdJson.open(loaded, settings);
    try {
      TelegramCredentials credentials = TelegramCredentials.obtain(
          loaded, sessionDir.getParent(), () -> askApi(prompter), testDc);
      LoginDialogue.Outcome outcome;
      try (TdDispatcher dispatcher = new TdDispatcher(td, "login-" + account)) {
        outcome = new LoginDialogue(dispatcher, credentials.tdlibParameters(sessionDir), prompter,
            loginTimeout(loaded)).logIn(qr ? LoginDialogue.Method.QR : LoginDialogue.Method.PHONE_CODE);
      }
      out.println(outcome == LoginDialogue.Outcome.ALREADY_LOGGED_IN
          ? "Account " + account + " is already logged in."
          : "Logged in: account " + account + ". Start syncing with `tg node`.");
      if (!loaded.getStringList("tg.accounts").isEmpty() && !loaded.getStringList("tg.accounts").contains(account)) {
        out.println("Note: tg.accounts does not list " + account + ", so `tg node` will not run it until it does.");
      }
      out.flush();
      return Main.OK;
    } catch (LoginDialogue.LoginFailed | IllegalArgumentException e) {
      spec.commandLine().getErr().println("tg login: " + e.getMessage());
      return Main.FAILURE;
    }
  }

  private static TelegramCredentials.Api askApi(LoginDialogue.Prompter prompter) {
    prompter.say("tg needs the api_id and api_hash of your Telegram application: create one at "
        + "https://my.telegram.org (API development tools). They are kept in the account's directory, "
        + "readable by you only.");
    String id = prompter.ask("api_id: ");
    String hash = prompter.askSecret("api_hash: ");
    if (id == null || hash == null) {
      throw new LoginDialogue.LoginFailed("the input ended before the login was complete");
    }
    try {
      return new TelegramCredentials.Api(Integer.parseInt(id.strip()), hash.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("api_id must be a number, as my.telegram.org shows it");
    }
  }

  private LoginDialogue.Prompter prompter(PrintWriter out) {
    Console console = input == null ? System.console() : null;
    BufferedReader lines = console != null ? null
        : new BufferedReader(new InputStreamReader(input == null ? System.in : input, StandardCharsets.UTF_8));
    return new TerminalPrompter(out, console, lines);
  }

  /** Account names become directory names: keep them plain. */
  static void checkAccountName(CommandSpec spec, String account) {
    if (!account.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--account must be letters, digits, '-' or '_' (got '" + account + "')");
    }
    if (account.equals("demo")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "the account name demo is kept for `tg node --demo`; choose another");
    }
  }

  /** Creates the data directory down to the account's session directory, all owner-only. */
  static Path prepareAccountDir(NodeSettings settings, String account) {
    Path sessionDir = settings.sessionDir(account);
    OwnerOnlyFiles.createDirectories(settings.dataDir());
    OwnerOnlyFiles.createDirectories(sessionDir.getParent().getParent());
    OwnerOnlyFiles.createDirectories(sessionDir.getParent());
    OwnerOnlyFiles.createDirectories(sessionDir);
    return sessionDir;
  }

  static Duration loginTimeout(Config config) {
    Duration timeout = config.getDuration("tg.telegram.login-timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new SettingsException("tg.telegram.login-timeout", "must be positive");
    }
    return timeout;
  }

  /**
   * The real TDLib, its own log sent to {@code <data-dir>/tdlib.log}; a missing library fails with
   * {@link TdlibLibrary.TdlibMissingException}, which names the install command.
   */
  static TdJson nativeTdJson(Config config, NodeSettings settings) {
    Config telegram = config.getConfig("tg.telegram");
    int verbosity = telegram.getInt("log-verbosity");
    if (verbosity < 0 || verbosity > 2) {
      // TDLib's higher levels log requests, and with them phone numbers and codes
      throw new SettingsException("tg.telegram.log-verbosity", "must be 0, 1 or 2");
    }
    String configured = telegram.getString("tdlib-path").strip();
    Path library = TdlibLibrary.locate(configured.isEmpty() ? null : Path.of(configured));
    NativeTdJson td = NativeTdJson.load(library, verbosity);
    OwnerOnlyFiles.createDirectories(settings.dataDir());
    td.redirectLogToFile(settings.dataDir().resolve("tdlib.log"), TDLIB_LOG_MAX_BYTES);
    return td;
  }

  /** Prompts on the command's output; reads the console (secrets hidden) or plain lines. */
  private static final class TerminalPrompter implements LoginDialogue.Prompter {
    private final PrintWriter out;
    private final Console console;
    private final BufferedReader lines;

    TerminalPrompter(PrintWriter out, Console console, BufferedReader lines) {
      this.out = out;
      this.console = console;
      this.lines = lines;
    }

    @Override
    public String ask(String question) {
      out.print(question);
      out.flush();
      return console != null ? console.readLine() : readLine();
    }

    @Override
    public String askSecret(String question) {
      if (console != null) {
        out.flush();
        char[] secret = console.readPassword("%s", question);
        return secret == null ? null : new String(secret);
      }
      out.print(question);
      out.flush();
      return readLine();
    }

    @Override
    public void say(String line) {
      out.println(line);
      out.flush();
    }

    @Override
    public void showQrLink(String link) {
      out.print(LoginQr.render(link));
      out.println(link);
      out.flush();
    }

    private String readLine() {
      try {
        String line = lines.readLine();
        // the answer typed after a prompt on a pipe has no newline of its own on the screen
        if (line != null) {
          out.println();
        }
        return line;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
