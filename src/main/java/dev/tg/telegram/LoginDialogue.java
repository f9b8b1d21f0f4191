package dev.tg.telegram;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TDLib's login as a dialogue with the user: one client of a {@link TdDispatcher}, driven by its
 * {@code updateAuthorizationState} updates, asking a {@link Prompter} for the phone number, the code, the
 * 2-step password or an email, or showing the QR link. Wrong answers are asked again; what cannot be done
 * here (signing up a new account) fails with a {@link LoginFailed} that says what to do instead.
 *
 * <p>Every operation opens its own client and closes it before returning, waiting for
 * {@code authorizationStateClosed}, so TDLib has written the session when the command ends. Secrets (phone
 * number, codes, password, email) go to TDLib and nowhere else: never logged, never said back.
 */
public final class LoginDialogue {
  private static final Logger log = LoggerFactory.getLogger(LoginDialogue.class);

  /** Asks the user; every answer may be null when the input has ended. */
  public interface Prompter {
    /** A visible answer, such as the phone number or the code. */
    String ask(String question);

    /** An answer that is not echoed, such as the password. */
    String askSecret(String question);

    /** Tells the user something. */
    void say(String line);

    /** Shows the {@code tg://login?token=...} link for the phone to scan. */
    default void showQrLink(String link) {
      say(link);
    }

    /** For what asks nothing (the node's check, logging out): every question is answered by end of input. */
    static Prompter silent() {
      return new Prompter() {
        @Override
        public String ask(String question) {
          return null;
        }

        @Override
        public String askSecret(String question) {
          return null;
        }

        @Override
        public void say(String line) {}
      };
    }
  }

  /** How to log in from {@code authorizationStateWaitPhoneNumber}. */
  public enum Method {
    PHONE_CODE,
    QR
  }

  /** How the account stands after an operation. */
  public enum Outcome {
    /** This dialogue logged the account in. */
    LOGGED_IN,
    /** The session was already logged in; nothing was asked. */
    ALREADY_LOGGED_IN,
    NOT_LOGGED_IN
  }

  /** The login cannot go on; the message says why and what to do. */
  public static class LoginFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LoginFailed(String message) {
      super(message);
    }
  }

  /** TDLib refused to open the session (its parameters, or another process holding it): nothing was changed. */
  public static final class SessionNotOpened extends LoginFailed {
    private static final long serialVersionUID = 1L;

    public SessionNotOpened(String message) {
      super(message);
    }
  }

  private final TdDispatcher dispatcher;
  private final ObjectNode tdlibParameters;
  private final Prompter prompter;
  private final Duration patience;
  private final BlockingQueue<ObjectNode> states = new LinkedBlockingQueue<>();
  private final List<String> statesSeen = new CopyOnWriteArrayList<>();
  private TdClient client;
  private ObjectNode handled;
  private boolean closed;

  /**
   * @param patience how long to wait for any one answer or state from TDLib (which itself waits for the
   *     network without limit)
   */
  public LoginDialogue(TdDispatcher dispatcher, ObjectNode tdlibParameters, Prompter prompter, Duration patience) {
    this.dispatcher = dispatcher;
    this.tdlibParameters = tdlibParameters;
    this.prompter = prompter;
    this.patience = patience;
  }

  /** Logs in, asking whatever TDLib needs; returns {@link Outcome#ALREADY_LOGGED_IN} if the session was. */
  public Outcome logIn(Method method) {
    return withClient(() -> drive(method));
  }

  /** Whether the session is logged in, without asking anything: the node's check before it starts. */
  public Outcome probe() {
    return withClient(() -> drive(null));
  }

  /**
   * Logs the session out on Telegram (TDLib then deletes its database); {@link Outcome#NOT_LOGGED_IN} if it
   * was not logged in, in which case nothing was sent.
   */
  public Outcome logOut() {
    return withClient(() -> {
      if (drive(null) == Outcome.NOT_LOGGED_IN) {
        return Outcome.NOT_LOGGED_IN;
      }
      await(client.send(TdClient.request("logOut")), "logOut");
      awaitClosed();
      return Outcome.LOGGED_IN;
    });
  }

  /** The {@code @type}s of the authorization states this dialogue went through, in order. */
  public List<String> statesSeen() {
    return List.copyOf(statesSeen);
  }

  private Outcome withClient(Supplier<Outcome> operation) {
    if (client != null) {
      throw new IllegalStateException("a LoginDialogue runs one operation");
    }
    client = dispatcher.createClient(this::onUpdate);
    // a new TDLib instance says nothing until it gets its first request
    client.send(TdClient.request("getOption").put("name", "version"));
    try {
      return operation.get();
    } finally {
      close();
    }
  }

  private void onUpdate(ObjectNode update) {
    if ("updateAuthorizationState".equals(update.path("@type").asText())) {
      ObjectNode state = (ObjectNode) update.path("authorization_state");
      statesSeen.add(state.path("@type").asText());
      log.debug("authorization state [{}]", state.path("@type").asText());
      states.add(state);
    }
  }

  /** Goes through the states until Ready; {@code method} null only looks and never asks. */
  private Outcome drive(Method method) {
    boolean asked = false;
    while (true) {
      ObjectNode state = nextState();
      String type = state.path("@type").asText();
      switch (type) {
        case "authorizationStateWaitTdlibParameters" -> setParameters();
        case "authorizationStateReady" -> {
          return asked ? Outcome.LOGGED_IN : Outcome.ALREADY_LOGGED_IN;
        }
        case "authorizationStateLoggingOut", "authorizationStateClosing", "authorizationStateClosed" -> {
          if (method == null) {
            return Outcome.NOT_LOGGED_IN;
          }
          throw new LoginFailed("TDLib closed the session during login (" + type + "); run `tg login` again");
        }
        default -> {
          if (method == null) {
            return Outcome.NOT_LOGGED_IN;
          }
          asked = true;
          answer(state, method);
        }
      }
      handled = state;
    }
  }

  private void answer(ObjectNode state, Method method) {
    switch (state.path("@type").asText()) {
      case "authorizationStateWaitPhoneNumber" -> {
        if (method == Method.QR) {
          ObjectNode request = TdClient.request("requestQrCodeAuthentication");
          request.putArray("other_user_ids");
          await(client.send(request), "requestQrCodeAuthentication");
        } else {
          askUntilAccepted("Phone number (international format, e.g. +44 7700 900123): ", false, LoginWords.WRONG_PHONE,
              LoginDialogue::phoneNumberRequest);
        }
      }
      case "authorizationStateWaitOtherDeviceConfirmation" -> {
        prompter.say("Scan this QR code with Telegram on a phone where you are logged in: "
            + "Settings > Devices > Link Desktop Device.");
        prompter.showQrLink(state.path("link").asText());
        prompter.say("Waiting for the scan...");
      }
      case "authorizationStateWaitCode" -> {
        prompter.say(LoginWords.whereTheCodeWent(state.path("code_info").path("type")));
        askUntilAccepted("Code: ", false, LoginWords.WRONG_CODE,
            code -> TdClient.request("checkAuthenticationCode").put("code", code));
      }
      case "authorizationStateWaitEmailAddress" -> {
        prompter.say("Telegram wants an email address for this account's login codes; it sends a code there next.");
        askUntilAccepted("Email address: ", false, LoginWords.WRONG_EMAIL,
            email -> TdClient.request("setAuthenticationEmailAddress").put("email_address", email));
      }
      case "authorizationStateWaitEmailCode" -> {
        String pattern = state.path("code_info").path("email_address_pattern").asText();
        prompter.say("Telegram sent a code to your email address" + (pattern.isEmpty() ? "" : " " + pattern) + ".");
        askUntilAccepted("Email code: ", false, LoginWords.WRONG_EMAIL_CODE, code -> {
          ObjectNode request = TdClient.request("checkAuthenticationEmailCode");
          request.putObject("code").put("@type", "emailAddressAuthenticationCode").put("code", code);
          return request;
        });
      }
      case "authorizationStateWaitPassword" -> {
        String hint = state.path("password_hint").asText();
        prompter.say("This account has two-step verification." + (hint.isEmpty() ? "" : " Hint: " + hint));
        askUntilAccepted("Password: ", true, LoginWords.WRONG_PASSWORD,
            password -> TdClient.request("checkAuthenticationPassword").put("password", password));
      }
      case "authorizationStateWaitRegistration" -> throw new LoginFailed(
          "this phone number has no Telegram account, and tg does not sign up new accounts: create the account "
              + "in an official Telegram app first, then run `tg login` again");
      case "authorizationStateWaitPremiumPurchase" -> throw new LoginFailed(
          "Telegram asks this account to buy Telegram Premium before it can log in on a new device, and tg "
              + "cannot make purchases: log in once from an official Telegram app, then run `tg login` again");
      default -> throw new LoginFailed(
          "TDLib asks for " + state.path("@type").asText() + ", which tg does not handle; please report it");
    }
  }

  private static ObjectNode phoneNumberRequest(String phone) {
    ObjectNode request = TdClient.request("setAuthenticationPhoneNumber").put("phone_number", phone);
    request.putObject("settings").put("@type", "phoneNumberAuthenticationSettings");
    return request;
  }

  private void setParameters() {
    try {
      await(client.send(tdlibParameters.deepCopy()), "setTdlibParameters");
    } catch (LoginFailed e) {
      String message = e.getMessage();
      String hint = message.contains("encryption key")
          ? " (the database was created with another tg.telegram.database-encryption-key)"
          : message.contains("api_id") || message.contains("api_hash")
              ? " (check tg.telegram.api-id and api-hash, from https://my.telegram.org)"
              : message.contains("lock")
                  ? " (is `tg node` running with this account? stop it first)"
                  : "";
      throw new SessionNotOpened(message + hint);
    }
  }

  /** Asks until TDLib accepts the answer; a wrong one it names in {@code retry} is said and asked again. */
  private void askUntilAccepted(
      String question, boolean secret, Map<String, String> retry, Function<String, ObjectNode> request) {
    while (true) {
      String answer = secret ? prompter.askSecret(question) : prompter.ask(question);
      if (answer == null) {
        throw new LoginFailed("the input ended before the login was complete");
      }
      answer = answer.strip();
      if (answer.isEmpty()) {
        continue;
      }
      ObjectNode toSend = request.apply(answer);
      String method = toSend.path("@type").asText();
      try {
        client.send(toSend).toCompletableFuture().get(patience.toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        TdException error = tdError(e, method);
        String again = retry.get(error.tdMessage());
        if (again == null) {
          throw new LoginFailed(LoginWords.explain(method, error));
        }
        prompter.say(again);
      } catch (TimeoutException e) {
        throw noAnswer(method);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LoginFailed("interrupted");
      }
    }
  }

  private ObjectNode await(CompletionStage<ObjectNode> answer, String method) {
    try {
      return answer.toCompletableFuture().get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new LoginFailed(LoginWords.explain(method, tdError(e, method)));
    } catch (TimeoutException e) {
      throw noAnswer(method);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoginFailed("interrupted");
    }
  }

  /** The next authorization state, skipping a repeat of the one just handled. */
  private ObjectNode nextState() {
    while (true) {
      ObjectNode state;
      try {
        state = states.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LoginFailed("interrupted");
      }
      if (state == null) {
        throw new LoginFailed("TDLib reported no authorization state within " + LoginWords.seconds(patience)
            + " (states so far: " + statesSeen + "); is this machine online?");
      }
      if (!state.equals(handled)) {
        return state;
      }
    }
  }

  private void awaitClosed() {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!closed) {
      long left = deadline - System.nanoTime();
      ObjectNode state;
      try {
        state = left <= 0 ? null : states.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (state == null) {
        throw new LoginFailed("TDLib did not close the session within " + LoginWords.seconds(patience));
      }
      closed = state.path("@type").asText().equals("authorizationStateClosed");
    }
  }

  // closes the client, unless it is closed already, and waits until TDLib has let go of the database
  private void close() {
    try {
      if (!closed && !statesSeen.contains("authorizationStateClosed")) {
        client.close();
        awaitClosed();
      }
    } catch (LoginFailed e) {
      log.warn("TDLib client not closed cleanly: {}", e.getMessage());
    } finally {
      client.forget();
    }
  }

  private static TdException tdError(ExecutionException e, String method) {
    return e.getCause() instanceof TdException error ? error : new TdException(500, method + " failed: " + e.getCause());
  }

  private static LoginFailed noAnswer(String method) {
    return new LoginFailed("no answer from TDLib to " + method + "; is this machine online?");
  }
}
