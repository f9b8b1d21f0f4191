package dev.tg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tg.datadir.DataDirLock;
import dev.tg.simulator.LoginScript;
import dev.tg.simulator.SimulatedTdJson;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import dev.tg.telegram.TdlibLibrary;
import dev.tg.telegram.TelegramCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tg login}, {@code tg logout} and {@code tg node}'s account checks, through picocli on the simulator. */
class LoginCommandTest {
  private static final String PHONE = "+1 555 0100";
  private static final String CODE = "73911";
  private static final String PASSWORD = "correct horse 7";
  private static final String API_HASH = "0123456789abcdef0123456789abcdef";
  private static final String API_ID = "2040";

  @TempDir Path home;

  private final SimulatedTelegram world = new SimulatedTelegram(
      WorldSpec.tiny(11).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
  private final List<SimulatedTdJson> clients = new ArrayList<>();
  private LoginCapture capture;
  private Path configFile;

  @BeforeEach
  void setUp() throws Exception {
    configFile = home.resolve("tg.conf");
    Files.writeString(configFile, "tg.data-dir = \"" + home.resolve("data") + "\"\n"
        + "tg.config-dir = \"" + home.resolve("config") + "\"\n");
    capture = new LoginCapture();
  }

  @AfterEach
  void tearDown() {
    capture.close();
    world.close();
  }

  @Test
  void codeLoginAsksForTheApiThenPhoneAndCodeAndKeepsEverySecretOwnerOnly() throws Exception {
    Run login = login(LoginScript.code(CODE), API_ID + "\n" + API_HASH + "\n" + PHONE + "\n" + CODE + "\n");

    assertThat(login.exitCode).as(login.toString()).isZero();
    assertThat(login.out).contains("api_id: ", "api_hash: ", "Phone number", "Code: ", "Logged in: account alice.");
    Path accountDir = home.resolve("data/accounts/alice");
    assertThat(mode(accountDir)).isEqualTo("rwx------");
    assertThat(mode(accountDir.resolve("tdlib"))).isEqualTo("rwx------");
    assertThat(mode(home.resolve("data"))).isEqualTo("rwx------");
    Path stored = accountDir.resolve(TelegramCredentials.FILE_NAME);
    assertThat(mode(stored)).isEqualTo("rw-------");
    JsonNode credentials = new ObjectMapper().readTree(stored.toFile());
    assertThat(credentials.path("api_id").asInt()).isEqualTo(2040);
    assertThat(credentials.path("api_hash").asText()).isEqualTo(API_HASH);
    String key = credentials.path("database_encryption_key").asText();
    assertThat(key).hasSize(44);
    assertNoSecret(login, key);
  }

  @Test
  void codeAndPassword() {
    Run login = login(LoginScript.code(CODE).withPassword(PASSWORD), PHONE + "\n" + CODE + "\n" + PASSWORD + "\n",
        "--config", withApi());

    assertThat(login.exitCode).as(login.toString()).isZero();
    assertThat(login.out).contains("two-step verification. Hint: starts with c", "Password: ", "Logged in");
    assertNoSecret(login);
  }

  @Test
  void aWrongCodeIsSaidAndAskedAgain() {
    Run login = login(LoginScript.code(CODE), PHONE + "\n" + "99999\n" + CODE + "\n", "--config", withApi());

    assertThat(login.exitCode).as(login.toString()).isZero();
    assertThat(login.out).containsOnlyOnce("That code is wrong; try again.").contains("Logged in");
    assertThat(login.out.split("Code: ", -1)).hasSize(3);
    assertNoSecret(login, "99999");
  }

  @Test
  void qrCodePrintsTheLinkAndLogsInOnceScanned() {
    SimulatedTdJson td = simulated(LoginScript.code(CODE).withPassword(PASSWORD));
    StringWriter out = new StringWriter();
    // the phone scans the code as soon as the link is on the screen
    CompletableFuture<Void> phone = CompletableFuture.runAsync(() -> {
      await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("tg://login?token="));
      td.confirmQr();
    });

    Run login = run(td, PASSWORD + "\n", out, "login", "--account", "alice", "--qr", "--config", withApi());

    phone.join();
    assertThat(login.exitCode).as(login.toString()).isZero();
    assertThat(login.out).contains("Link Desktop Device", "tg://login?token=", "Password: ", "Logged in")
        .doesNotContain("Phone number");
    assertNoSecret(login);
  }

  @Test
  void aLoginEmailIsAskedFor() {
    Run login = login(LoginScript.code(CODE).withEmail(),
        PHONE + "\n" + "dee@example.com\n" + CODE + "\n" + CODE + "\n", "--config", withApi());

    assertThat(login.exitCode).as(login.toString()).isZero();
    assertThat(login.out).contains("Email address: ", "Telegram sent a code to your email address d***@example.com.");
    assertNoSecret(login, "dee@example.com");
  }

  @Test
  void registrationOfANewAccountIsRefusedWithTheReason() {
    Run login = login(LoginScript.code(CODE).withRegistration(), PHONE + "\n" + CODE + "\n", "--config", withApi());

    assertThat(login.exitCode).isEqualTo(1);
    assertThat(login.err).contains("tg login: this phone number has no Telegram account",
        "does not sign up new accounts", "official Telegram app");
    assertNoSecret(login);
  }

  @Test
  void aPremiumPurchaseTelegramAsksForIsSaidInsteadOfWaitedFor() {
    Run login = login(LoginScript.code(CODE).withPremiumPurchase(), PHONE + "\n" + CODE + "\n", "--config", withApi());

    assertThat(login.exitCode).as(login.toString()).isEqualTo(1);
    assertThat(login.err).contains("buy Telegram Premium", "log in once from an official Telegram app");
    assertNoSecret(login);
  }

  @Test
  void theEndOfInputFailsTheLogin() {
    Run login = login(LoginScript.code(CODE), PHONE + "\n", "--config", withApi());

    assertThat(login.exitCode).isEqualTo(1);
    assertThat(login.err).contains("the input ended before the login was complete");
  }

  @Test
  void aSecondLoginFindsTheSessionAndLogoutRemovesIt() {
    assertThat(login(LoginScript.code(CODE), PHONE + "\n" + CODE + "\n", "--config", withApi()).exitCode).isZero();

    Run again = login(LoginScript.code(CODE), "", "--config", withApi());
    assertThat(again.exitCode).isZero();
    assertThat(again.out).contains("Account alice is already logged in.").doesNotContain("Phone number");

    Run logout = run(simulated(LoginScript.code(CODE)), "", new StringWriter(),
        "logout", "--account", "alice", "--config", withApi());
    assertThat(logout.exitCode).as(logout.toString()).isZero();
    assertThat(logout.out).contains("Logged out of Telegram: account alice.", "Removed the session");
    assertThat(home.resolve("data/accounts/alice/tdlib")).doesNotExist();

    Run afterLogout = login(LoginScript.code(CODE), PHONE + "\n" + CODE + "\n", "--config", withApi());
    assertThat(afterLogout.out).contains("Phone number", "Logged in");
    assertNoSecret(afterLogout);
  }

  @Test
  void logoutWithoutASessionHasNothingToDo() {
    Run logout = run(simulated(LoginScript.code(CODE)), "", new StringWriter(),
        "logout", "--account", "bob", "--config", configFile.toString());

    assertThat(logout.exitCode).isZero();
    assertThat(logout.out).contains("Account bob has no session here; nothing to do.");
  }

  @Test
  void aMissingLibraryNamesTheInstallCommand() {
    Path missing = home.resolve("nowhere/libtdjson.so");
    String before = System.getProperty(TdlibLibrary.PATH_PROPERTY);
    System.setProperty(TdlibLibrary.PATH_PROPERTY, missing.toString());
    try {
      for (String[] command : List.of(
          new String[] {"login", "--account", "alice", "--config", withApi()},
          new String[] {"node", "--config", withAccounts("alice")})) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exitCode = cli.execute(command);

        assertThat(exitCode).as(command[0] + ": " + err).isEqualTo(1);
        assertThat(err.toString()).contains("libtdjson", missing.toString(), "Install it with: scripts/install-tdlib");
      }
    } finally {
      if (before == null) {
        System.clearProperty(TdlibLibrary.PATH_PROPERTY);
      } else {
        System.setProperty(TdlibLibrary.PATH_PROPERTY, before);
      }
    }
  }

  @Test
  void theNodeWithoutAnAccountSaysHowToLogIn() {
    Run node = run(simulated(LoginScript.code(CODE)), "", new StringWriter(), "node", "--config", configFile.toString());

    assertThat(node.exitCode).isEqualTo(1);
    assertThat(node.err).contains("no Telegram account is set up", "tg login --account NAME", "tg node --demo");
  }

  @Test
  void theNodeRefusesAnAccountThatIsNotLoggedIn() throws Exception {
    // alice got as far as her phone number, then gave up
    assertThat(login(LoginScript.code(CODE), PHONE + "\n", "--config", withApi()).exitCode).isEqualTo(1);

    Run node = run(simulated(LoginScript.code(CODE)), "", new StringWriter(), "node", "--config", withApi());

    assertThat(node.exitCode).isEqualTo(1);
    assertThat(node.err).contains("account alice is not logged in: run `tg login --account alice`");
  }

  @Test
  void onPostgresTheNodeOpensNoTdlibBeforeItHoldsTheAccountsLease() throws Exception {
    // alice's credentials are here and her session is not: under her lease it may come from the shared database
    assertThat(login(LoginScript.code(CODE), PHONE + "\n", "--config", withApi()).exitCode).isEqualTo(1);
    String onPostgres = withConfig("tg.telegram.api-id = " + API_ID + "\ntg.telegram.api-hash = \"" + API_HASH
        + "\"\ntg.storage.database = postgres\ntg.storage.postgres.url = \"jdbc:postgresql://127.0.0.1:1/tg\"\n");
    int requestsBefore = world.requestLog().size();

    // the node stops where it would start its accounts: after planning them, before any lease is asked for
    try (DataDirLock held = DataDirLock.acquire(home.resolve("data"), "test")) {
      Run node = run(simulated(LoginScript.code(CODE)), "", new StringWriter(), "node", "--config", onPostgres);

      assertThat(node.exitCode).as(node.err).isEqualTo(2);
      assertThat(node.err).contains("is using").doesNotContain("not logged in");
    }
    assertThat(world.requestLog()).as("no login probe: TDLib was not asked anything").hasSize(requestsBefore);
  }

  @Test
  void accountNamesArePlainAndDemoIsKept() {
    Run slash = login(LoginScript.code(CODE), "", "--account", "../x", "--config", configFile.toString());
    Run demo = run(simulated(LoginScript.code(CODE)), "", new StringWriter(),
        "login", "--account", "demo", "--config", configFile.toString());

    assertThat(slash.exitCode).isEqualTo(2);
    assertThat(demo.exitCode).isEqualTo(2);
    assertThat(demo.err).contains("kept for `tg node --demo`");
  }

  @Test
  void theCaptureSeesEveryLogLevelAndTheProcessStreams() {
    org.slf4j.LoggerFactory.getLogger(LoginDialogueLeak.class).trace("leaked [{}]", PHONE);
    System.out.println(CODE);

    assertThat(capture.logEvents()).isPositive();
    assertThatThrownBy(() -> capture.assertNoSecret(List.of(PHONE))).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> capture.assertNoSecret(List.of(CODE))).isInstanceOf(AssertionError.class);
  }

  /** A logger under dev.tg, whose level the test config sets. */
  private static final class LoginDialogueLeak {}

  // ---- helpers ----

  /** {@code tg login} for alice unless {@code options} name the account, on the test config unless they name one. */
  private Run login(LoginScript script, String input, String... options) {
    List<String> given = List.of(options);
    List<String> args = new ArrayList<>(List.of("login"));
    if (!given.contains("--account")) {
      args.addAll(List.of("--account", "alice"));
    }
    args.addAll(given);
    if (!given.contains("--config")) {
      args.addAll(List.of("--config", configFile.toString()));
    }
    return run(simulated(script), input, new StringWriter(), args.toArray(String[]::new));
  }

  private Run run(SimulatedTdJson td, String input, StringWriter out, String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    LoginCommand.TdJsonSource source = (config, settings) -> td;
    cli.getSubcommands().get("login").<LoginCommand>getCommand().tdJson = source;
    cli.getSubcommands().get("login").<LoginCommand>getCommand().input =
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
    cli.getSubcommands().get("logout").<LogoutCommand>getCommand().tdJson = source;
    cli.getSubcommands().get("node").<NodeCommand>getCommand().tdJson = source;
    int exitCode = cli.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private SimulatedTdJson simulated(LoginScript script) {
    SimulatedTdJson td = new SimulatedTdJson(world, script);
    clients.add(td);
    return td;
  }

  /** The test config with api_id and api_hash set, as from TG_API_ID / TG_API_HASH. */
  private String withApi() {
    return withConfig("tg.telegram.api-id = " + API_ID + "\ntg.telegram.api-hash = \"" + API_HASH + "\"\n");
  }

  private String withAccounts(String... accounts) {
    return withConfig("tg.accounts = [" + String.join(",", accounts) + "]\n");
  }

  private String withConfig(String lines) {
    try {
      Path file = home.resolve("tg-" + Integer.toHexString(lines.hashCode()) + ".conf");
      Files.writeString(file, Files.readString(configFile) + lines);
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void assertNoSecret(Run run, String... more) {
    List<String> secrets = new ArrayList<>(List.of(PHONE, "5550100", "555 0100", CODE, PASSWORD, API_HASH));
    secrets.addAll(List.of(more));
    capture.assertNoSecret(secrets, run.out, run.err);
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private record Run(int exitCode, String out, String err) {}
}
