package dev.tg.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our client layer ({@link TdDispatcher}, {@link TdClient}, {@link LoginDialogue}) on the real libtdjson that the
 * build installs into {@code target/tdlib}: as far as TDLib goes without a network, which is the phone number prompt.
 */
class NativeLoginTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  // TDLib's public example credentials; no network is reached before a phone number is given
  private static final int API_ID = 94575;
  private static final String API_HASH = "a3406de8d171bb422bb6ddf3bbd800e2";

  @TempDir static Path logDir;

  private static TdDispatcher dispatcher;

  @BeforeAll
  static void start() {
    NativeTdJson td = NativeTdJson.load(TdlibLibrary.locate(TdlibInstall.dir()));
    td.redirectLogToFile(logDir.resolve("tdlib.log"), 10_000_000);
    dispatcher = new TdDispatcher(td, "native-login-test");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    // the receiver thread must end: TDLib allows one receiving thread in the process
    dispatcher.close();
  }

  @Test
  void aProbeReachesThePhoneNumberPromptThenClosesTheClient(@TempDir Path sessionDir) {
    LoginDialogue probe = new LoginDialogue(dispatcher, parameters(sessionDir, key(1)),
        LoginDialogue.Prompter.silent(), PATIENCE);

    assertThat(probe.probe()).isEqualTo(LoginDialogue.Outcome.NOT_LOGGED_IN);

    assertThat(probe.statesSeen()).containsExactly("authorizationStateWaitTdlibParameters",
        "authorizationStateWaitPhoneNumber", "authorizationStateClosing", "authorizationStateClosed");
    assertThat(sessionDir.resolve("db")).isDirectory();
  }

  @Test
  void theLoginAsksForThePhoneNumberAndClosesWhenTheInputEnds(@TempDir Path sessionDir) {
    List<String> questions = new ArrayList<>();
    LoginDialogue.Prompter nobody = new LoginDialogue.Prompter() {
      @Override
      public String ask(String question) {
        questions.add(question);
        return null;
      }

      @Override
      public String askSecret(String question) {
        questions.add(question);
        return null;
      }

      @Override
      public void say(String line) {}
    };
    LoginDialogue login = new LoginDialogue(dispatcher, parameters(sessionDir, key(2)), nobody, PATIENCE);

    assertThatThrownBy(() -> login.logIn(LoginDialogue.Method.PHONE_CODE))
        .isInstanceOf(LoginDialogue.LoginFailed.class)
        .hasMessage("the input ended before the login was complete");

    assertThat(questions).singleElement().satisfies(question -> assertThat(question).startsWith("Phone number"));
    assertThat(login.statesSeen()).endsWith("authorizationStateWaitPhoneNumber", "authorizationStateClosing",
        "authorizationStateClosed");
  }

  @Test
  void anEncryptedSessionOpensAgainWithItsKey(@TempDir Path sessionDir) {
    assertThat(new LoginDialogue(dispatcher, parameters(sessionDir, key(3)), LoginDialogue.Prompter.silent(),
        PATIENCE).probe()).isEqualTo(LoginDialogue.Outcome.NOT_LOGGED_IN);

    LoginDialogue again = new LoginDialogue(dispatcher, parameters(sessionDir, key(3)),
        LoginDialogue.Prompter.silent(), PATIENCE);

    assertThat(again.probe()).isEqualTo(LoginDialogue.Outcome.NOT_LOGGED_IN);
    assertThat(again.statesSeen()).containsSubsequence(
        "authorizationStateWaitTdlibParameters", "authorizationStateWaitPhoneNumber", "authorizationStateClosed");
  }

  @Test
  void requestsOfAClientGoThroughOurDispatcher(@TempDir Path sessionDir) throws Exception {
    List<String> updates = new ArrayList<>();
    TdClient client = dispatcher.createClient(update -> {
      synchronized (updates) {
        updates.add(update.path("@type").asText());
      }
    });

    ObjectNode version = client.send(TdClient.request("getOption").put("name", "version"), PATIENCE)
        .toCompletableFuture().get();
    assertThat(version.path("value").asText()).isEqualTo(TdlibLibrary.TDLIB_VERSION);
    // an error answer comes back as our typed exception, matched by @extra like any answer
    assertThatThrownBy(() -> client.send(TdClient.request("getContacts"), PATIENCE).toCompletableFuture().get())
        .cause()
        .isInstanceOf(TdException.class);
    client.close().toCompletableFuture().get();
    client.forget();
    synchronized (updates) {
      assertThat(updates).contains("updateAuthorizationState");
    }
  }

  private static ObjectNode parameters(Path sessionDir, byte[] key) {
    return TdlibParameters.of(sessionDir, API_ID, API_HASH, key, true);
  }

  private static byte[] key(int seed) {
    byte[] key = new byte[32];
    new java.util.SplittableRandom(seed).nextBytes(key);
    return key;
  }
}
