package dev.tg.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.simulator.LoginScript;
import dev.tg.simulator.SimulatedTdJson;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The login state machine against the simulated TDLib, with scripted answers. */
class LoginDialogueTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @TempDir Path sessionDir;

  private final SimulatedTelegram world = new SimulatedTelegram(
      WorldSpec.tiny(7).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
  private final List<TdDispatcher> dispatchers = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (TdDispatcher dispatcher : dispatchers) {
      dispatcher.close();
    }
    world.close();
  }

  @Test
  void phoneNumberAndCode() {
    Script answers = new Script("+1 555 0100", "24680");

    assertThat(dialogue(LoginScript.code("24680"), answers).logIn(LoginDialogue.Method.PHONE_CODE))
        .isEqualTo(LoginDialogue.Outcome.LOGGED_IN);

    assertThat(answers.questions).containsExactly(
        "Phone number (international format, e.g. +44 7700 900123): ", "Code: ");
    assertThat(answers.said).anySatisfy(line -> assertThat(line).contains("as a message to your Telegram apps"));
    assertThat(answers.remaining()).isEmpty();
  }

  @Test
  void codeThenPasswordWhichIsAskedHidden() {
    Script answers = new Script("15550100", "24680", "s3cret-pass");
    LoginDialogue dialogue = dialogue(LoginScript.code("24680").withPassword("s3cret-pass"), answers);

    assertThat(dialogue.logIn(LoginDialogue.Method.PHONE_CODE)).isEqualTo(LoginDialogue.Outcome.LOGGED_IN);

    assertThat(answers.secretQuestions).containsExactly("Password: ");
    assertThat(answers.said).anySatisfy(line -> assertThat(line).contains("two-step verification. Hint: starts with s"));
    assertThat(dialogue.statesSeen()).containsSubsequence("authorizationStateWaitCode",
        "authorizationStateWaitPassword", "authorizationStateReady", "authorizationStateClosed");
  }

  @Test
  void aWrongCodeIsSaidAndAskedAgain() {
    Script answers = new Script("15550100", "11111", "24680");

    assertThat(dialogue(LoginScript.code("24680"), answers).logIn(LoginDialogue.Method.PHONE_CODE))
        .isEqualTo(LoginDialogue.Outcome.LOGGED_IN);

    assertThat(answers.questions).containsExactly(
        "Phone number (international format, e.g. +44 7700 900123): ", "Code: ", "Code: ");
    assertThat(answers.said).contains("That code is wrong; try again.");
  }

  @Test
  void aWrongPasswordAndABadPhoneNumberAreAskedAgain() {
    Script answers = new Script("not a number", "15550100", "24680", "guess", "pw");

    assertThat(dialogue(LoginScript.code("24680").withPassword("pw"), answers).logIn(LoginDialogue.Method.PHONE_CODE))
        .isEqualTo(LoginDialogue.Outcome.LOGGED_IN);

    assertThat(answers.said).contains("That password is wrong; try again.")
        .anySatisfy(line -> assertThat(line).startsWith("That is not a valid phone number"));
  }

  @Test
  void qrCodeShowsTheLinkAndWaitsForTheScan() {
    SimulatedTdJson td = new SimulatedTdJson(world, LoginScript.code("24680"));
    List<String> links = new ArrayList<>();
    Script answers = new Script() {
      @Override
      public void showQrLink(String link) {
        links.add(link);
        td.confirmQr();
      }
    };

    assertThat(dialogue(td, answers).logIn(LoginDialogue.Method.QR)).isEqualTo(LoginDialogue.Outcome.LOGGED_IN);

    assertThat(links).singleElement().satisfies(link -> assertThat(link).startsWith("tg://login?token="));
    assertThat(answers.questions).isEmpty();
    assertThat(answers.said).anySatisfy(line -> assertThat(line).contains("Link Desktop Device"));
  }

  @Test
  void qrCodeThenPassword() {
    Script answers = new Script("pw");

    // nobody calls confirmQr: the simulated phone scans the code after a short while by itself
    assertThat(dialogue(LoginScript.code("24680").withPassword("pw"), answers).logIn(LoginDialogue.Method.QR))
        .isEqualTo(LoginDialogue.Outcome.LOGGED_IN);

    assertThat(answers.secretQuestions).containsExactly("Password: ");
  }

  @Test
  void aLoginEmailIsAskedAndItsCodeChecked() {
    Script answers = new Script("15550100", "dee@example.com", "000", "24680", "24680");

    assertThat(dialogue(LoginScript.code("24680").withEmail(), answers).logIn(LoginDialogue.Method.PHONE_CODE))
        .isEqualTo(LoginDialogue.Outcome.LOGGED_IN);

    assertThat(answers.questions).containsExactly("Phone number (international format, e.g. +44 7700 900123): ",
        "Email address: ", "Email code: ", "Email code: ", "Code: ");
    assertThat(answers.said).contains("Telegram sent a code to your email address d***@example.com.");
  }

  @Test
  void registrationIsNotSupported() {
    LoginDialogue dialogue = dialogue(LoginScript.code("24680").withRegistration(), new Script("15550100", "24680"));

    assertThatThrownBy(() -> dialogue.logIn(LoginDialogue.Method.PHONE_CODE))
        .isInstanceOf(LoginDialogue.LoginFailed.class)
        .hasMessageContaining("does not sign up new accounts")
        .hasMessageContaining("official Telegram app");
    // the client is closed all the same
    assertThat(dialogue.statesSeen()).last().isEqualTo("authorizationStateClosed");
  }

  @Test
  void theEndOfInputStopsTheLogin() {
    LoginDialogue dialogue = dialogue(LoginScript.code("24680"), new Script("15550100"));

    assertThatThrownBy(() -> dialogue.logIn(LoginDialogue.Method.PHONE_CODE))
        .isInstanceOf(LoginDialogue.LoginFailed.class)
        .hasMessage("the input ended before the login was complete");
  }

  @Test
  void aKeptSessionIsAlreadyLoggedInAndProbesAsSuch() {
    dialogue(LoginScript.code("24680"), new Script("15550100", "24680")).logIn(LoginDialogue.Method.PHONE_CODE);
    Script nothing = new Script();

    assertThat(dialogue(LoginScript.code("24680"), nothing).logIn(LoginDialogue.Method.PHONE_CODE))
        .isEqualTo(LoginDialogue.Outcome.ALREADY_LOGGED_IN);
    assertThat(dialogue(LoginScript.code("24680"), nothing).probe()).isEqualTo(LoginDialogue.Outcome.ALREADY_LOGGED_IN);
    assertThat(nothing.questions).isEmpty();
  }

  @Test
  void aProbeOfANewSessionAsksNothingAndClosesTheClient() {
    Script nothing = new Script();
    LoginDialogue probe = dialogue(LoginScript.code("24680"), nothing);

    assertThat(probe.probe()).isEqualTo(LoginDialogue.Outcome.NOT_LOGGED_IN);

    assertThat(probe.statesSeen()).containsExactly("authorizationStateWaitTdlibParameters",
        "authorizationStateWaitPhoneNumber", "authorizationStateClosing", "authorizationStateClosed");
    assertThat(nothing.questions).isEmpty();
  }

  @Test
  void logOutEndsTheSession() {
    dialogue(LoginScript.code("24680"), new Script("15550100", "24680")).logIn(LoginDialogue.Method.PHONE_CODE);
    LoginDialogue logout = dialogue(LoginScript.code("24680"), new Script());

    assertThat(logout.logOut()).isEqualTo(LoginDialogue.Outcome.LOGGED_IN);

    assertThat(logout.statesSeen()).endsWith("authorizationStateLoggingOut", "authorizationStateClosing",
        "authorizationStateClosed");
    assertThat(dialogue(LoginScript.code("24680"), new Script()).probe()).isEqualTo(LoginDialogue.Outcome.NOT_LOGGED_IN);
    assertThat(dialogue(LoginScript.code("24680"), new Script()).logOut())
        .isEqualTo(LoginDialogue.Outcome.NOT_LOGGED_IN);
  }

  @Test
  void badParametersFailWithTdlibsReason() {
    TdDispatcher dispatcher = dispatcher(new SimulatedTdJson(world, LoginScript.code("24680")));
    ObjectNode noApiId = TdlibParameters.of(sessionDir, 0, "", new byte[0], true);

    assertThatThrownBy(() -> new LoginDialogue(dispatcher, noApiId, new Script(), PATIENCE)
        .logIn(LoginDialogue.Method.PHONE_CODE))
        .isInstanceOf(LoginDialogue.SessionNotOpened.class)
        .hasMessageContaining("Valid api_id must be provided")
        .hasMessageContaining("tg.telegram.api-id");
  }

  private LoginDialogue dialogue(LoginScript script, Script answers) {
    return dialogue(new SimulatedTdJson(world, script), answers);
  }

  private LoginDialogue dialogue(SimulatedTdJson td, Script answers) {
    ObjectNode parameters = TdlibParameters.of(sessionDir, 94575, "a3406de8d171bb422bb6ddf3bbd800e2", new byte[32], true);
    return new LoginDialogue(dispatcher(td), parameters, answers, PATIENCE);
  }

  private TdDispatcher dispatcher(TdJson td) {
    TdDispatcher dispatcher = new TdDispatcher(td, "login-test");
    dispatchers.add(dispatcher);
    return dispatcher;
  }

  /** Scripted answers, in order, for visible and hidden questions alike; records what was asked and said. */
  private static class Script implements LoginDialogue.Prompter {
    private final Deque<String> answers;
    final List<String> questions = new ArrayList<>();
    final List<String> secretQuestions = new ArrayList<>();
    final List<String> said = new ArrayList<>();

    Script(String... answers) {
      this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public String ask(String question) {
      questions.add(question);
      return answers.poll();
    }

    @Override
    public String askSecret(String question) {
      secretQuestions.add(question);
      return answers.poll();
    }

    @Override
    public void say(String line) {
      said.add(line);
    }

    List<String> remaining() {
      return List.copyOf(answers);
    }
  }
}
