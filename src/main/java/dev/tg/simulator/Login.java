package dev.tg.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One TDLib instance's authorization state machine (AuthManager), driven by a {@link LoginScript}. A session is
 * remembered where TDLib keeps it, in the binlog of {@code database_directory} (td.binlog, td_test.binlog on the test
 * DC: TdDb.cpp get_binlog_path; AuthManager sets its {@code auth} key there), so the next instance on that directory,
 * or on a copy of that file, starts logged in. The simulated binlog holds nothing else: no update state.
 */
final class Login {
  static final Set<String> METHODS = Set.of(
      "setTdlibParameters", "setAuthenticationPhoneNumber", "setAuthenticationEmailAddress",
      "checkAuthenticationEmailCode", "checkAuthenticationCode", "registerUser", "checkAuthenticationPassword",
      "requestQrCodeAuthentication", "getAuthorizationState", "logOut", "close");
  private static final Duration QR_SCAN_DELAY = Duration.ofSeconds(2);
  private static final String EMAIL_PATTERN = "d***@example.com";
  /**
   * AuthManager::set_phone_number and request_qr_code_authentication start over from any of these states, not only
   * from WaitPhoneNumber.
   */
  private static final Set<State> RESTARTABLE = EnumSet.of(State.WAIT_PHONE_NUMBER, State.WAIT_PREMIUM_PURCHASE,
      State.WAIT_EMAIL_ADDRESS, State.WAIT_EMAIL_CODE, State.WAIT_CODE, State.WAIT_PASSWORD, State.WAIT_REGISTRATION);

  /** What setTdlibParameters set that the rest of the instance needs. */
  /** {@code filesDirectory}: files_directory, or database_directory when that is empty (TdDb::check_parameters). */
  record Parameters(Path databaseDirectory, Path filesDirectory, boolean useTestDc, boolean useMessageDatabase,
      boolean useSecretChats, boolean useFileDatabase) {}

  enum State {
    WAIT_PARAMETERS("authorizationStateWaitTdlibParameters"),
    WAIT_PHONE_NUMBER("authorizationStateWaitPhoneNumber"),
    WAIT_PREMIUM_PURCHASE("authorizationStateWaitPremiumPurchase"),
    WAIT_EMAIL_ADDRESS("authorizationStateWaitEmailAddress"),
    WAIT_EMAIL_CODE("authorizationStateWaitEmailCode"),
    WAIT_CODE("authorizationStateWaitCode"),
    WAIT_OTHER_DEVICE("authorizationStateWaitOtherDeviceConfirmation"),
    WAIT_REGISTRATION("authorizationStateWaitRegistration"),
    WAIT_PASSWORD("authorizationStateWaitPassword"),
    READY("authorizationStateReady"),
    LOGGING_OUT("authorizationStateLoggingOut"),
    CLOSING("authorizationStateClosing"),
    CLOSED("authorizationStateClosed");

    final String type;

    State(String type) {
      this.type = type;
    }
  }

  /** Where the login flow sends its updates, and what it tells the instance on reaching Ready. */
  interface Output {
    void update(ObjectNode update);

    /** An update that TDLib sends right after the answer to the current request. */
    void updateAfterAnswer(ObjectNode update);

    void ready();

    /** logOut: TDLib destroys the instance's databases (TdDb::destroy). */
    void loggingOut();
  }

  private final LoginScript script;
  private final Output output;
  private State state = State.WAIT_PARAMETERS;
  private Parameters parameters = new Parameters(null, null, false, false, false, false);
  private String phoneNumber = "";
  private Instant qrScannedAt;

  Login(LoginScript script, Output output) {
    this.script = script;
    this.output = output;
  }

  State state() {
    return state;
  }

  Parameters parameters() {
    return parameters;
  }

  /** The answer to an authorization request; state updates go out before it, except for close and logOut. */
  ObjectNode handle(ObjectNode request, Instant now) {
    String type = request.path("@type").asText();
    return switch (type) {
      case "getAuthorizationState" -> stateObject();
      case "setTdlibParameters" -> setParameters(request);
      case "setAuthenticationPhoneNumber" -> RESTARTABLE.contains(state) ? setPhoneNumber(request) : unexpected(type);
      case "setAuthenticationEmailAddress" -> expect(type, State.WAIT_EMAIL_ADDRESS, () -> moveTo(State.WAIT_EMAIL_CODE));
      case "checkAuthenticationEmailCode" -> expect(type, State.WAIT_EMAIL_CODE, () ->
          script.code().equals(request.path("code").path("code").asText())
              ? moveTo(State.WAIT_CODE) : TdObjects.error(400, "EMAIL_CODE_INVALID"));
      case "checkAuthenticationCode" -> expect(type, State.WAIT_CODE, () -> checkCode(request));
      case "registerUser" -> expect(type, State.WAIT_REGISTRATION, () ->
          request.path("first_name").asText().isBlank() ? TdObjects.error(400, "FIRSTNAME_INVALID") : ready());
      case "checkAuthenticationPassword" -> expect(type, State.WAIT_PASSWORD, () ->
          script.password().equals(request.path("password").asText())
              ? ready() : TdObjects.error(400, "PASSWORD_HASH_INVALID"));
      case "requestQrCodeAuthentication" -> requestQr(type, now);
      case "logOut" -> logOut();
      case "close" -> close();
      default -> throw new IllegalArgumentException("not an authorization request: " + type);
    };
  }

  /** The other device scans the QR code: after a short delay on its own, or when a test says so. */
  void confirmQr(Instant now, boolean force) {
    if (state == State.WAIT_OTHER_DEVICE && (force || !now.isBefore(qrScannedAt))) {
      moveTo(script.password() != null ? State.WAIT_PASSWORD : State.READY);
    }
  }

  private ObjectNode setParameters(ObjectNode request) {
    if (state != State.WAIT_PARAMETERS) {
      return TdObjects.error(400, "Unexpected setTdlibParameters");
    }
    if (request.path("api_id").asLong() <= 0) {
      return TdObjects.error(400, "Valid api_id must be provided. Can be obtained at https://my.telegram.org");
    }
    if (request.path("api_hash").asText().isEmpty()) {
      return TdObjects.error(400, "Valid api_hash must be provided. Can be obtained at https://my.telegram.org");
    }
    if (request.path("system_language_code").asText().isBlank()) {
      return TdObjects.error(400, "System language code must be non-empty");
    }
    if (request.path("device_model").asText().isBlank()) {
      return TdObjects.error(400, "Device model must be non-empty");
    }
    if (request.path("application_version").asText().isBlank()) {
      return TdObjects.error(400, "Application version must be non-empty");
    }
    String directory = request.path("database_directory").asText();
    String files = request.path("files_directory").asText().isEmpty() ? directory
        : request.path("files_directory").asText();
    parameters = new Parameters(directory.isEmpty() ? null : Path.of(directory), files.isEmpty() ? null : Path.of(files),
        request.path("use_test_dc").asBoolean(), request.path("use_message_database").asBoolean(),
        request.path("use_secret_chats").asBoolean(), request.path("use_file_database").asBoolean());
    Path databaseDirectory = parameters.databaseDirectory();
    boolean remembered = databaseDirectory != null && Files.exists(binlog());
    return remembered || script.automatic() ? ready() : moveTo(State.WAIT_PHONE_NUMBER);
  }

  private ObjectNode setPhoneNumber(ObjectNode request) {
    String phone = request.path("phone_number").asText().replaceAll("[ ()+-]", "");
    if (phone.isEmpty() || !phone.chars().allMatch(Character::isDigit)) {
      return TdObjects.error(400, "PHONE_NUMBER_INVALID");
    }
    phoneNumber = phone;
    if (script.premiumPurchaseRequired()) {
      // AuthManager::on_sent_code: auth.sentCodePaymentRequired
      return moveTo(State.WAIT_PREMIUM_PURCHASE);
    }
    return moveTo(script.emailRequired() ? State.WAIT_EMAIL_ADDRESS : State.WAIT_CODE);
  }

  private ObjectNode checkCode(ObjectNode request) {
    if (!script.code().equals(request.path("code").asText())) {
      return TdObjects.error(400, "PHONE_CODE_INVALID");
    }
    if (script.registrationRequired()) {
      return moveTo(State.WAIT_REGISTRATION);
    }
    return script.password() != null ? moveTo(State.WAIT_PASSWORD) : ready();
  }

  private ObjectNode requestQr(String type, Instant now) {
    if (!RESTARTABLE.contains(state)) {
      return unexpected(type);
    }
    qrScannedAt = now.plus(QR_SCAN_DELAY);
    return moveTo(State.WAIT_OTHER_DEVICE);
  }

  private ObjectNode logOut() {
    if (state == State.CLOSING || state == State.CLOSED) {
      return TdObjects.error(500, "Request aborted");
    }
    forgetSession();
    output.loggingOut();
    output.update(stateUpdate(State.LOGGING_OUT));
    return close();
  }

  private ObjectNode close() {
    if (state == State.CLOSED) {
      return TdObjects.error(500, "Request aborted");
    }
    output.updateAfterAnswer(stateUpdate(State.CLOSING));
    output.updateAfterAnswer(stateUpdate(State.CLOSED));
    state = State.CLOSED;
    return TdObjects.ok();
  }

  private ObjectNode ready() {
    return moveTo(State.READY);
  }

  private ObjectNode moveTo(State next) {
    state = next;
    output.update(stateUpdate(next));
    if (next == State.READY) {
      rememberSession();
      output.ready();
    }
    return TdObjects.ok();
  }

  private ObjectNode expect(String type, State expected, Supplier<ObjectNode> action) {
    return state == expected ? action.get() : unexpected(type);
  }

  private static ObjectNode unexpected(String type) {
    return TdObjects.error(400, "Call to " + type + " unexpected");
  }

  ObjectNode stateUpdate(State next) {
    return TdObjects.update("updateAuthorizationState", "authorization_state", stateObject(next));
  }

  private ObjectNode stateObject() {
    return stateObject(state);
  }

  private ObjectNode stateObject(State of) {
    ObjectNode node = TdObjects.object(of.type);
    switch (of) {
      case WAIT_PREMIUM_PURCHASE -> node
          .put("store_product_id", "org.telegram.telegramPremium.threeMonths.code_x1")
          .put("premium_day_count", 90)
          .put("support_email_address", "login@stel.com")
          .put("support_email_subject", "Login payment +" + phoneNumber);
      case WAIT_EMAIL_ADDRESS -> node.put("allow_apple_id", false).put("allow_google_id", false);
      case WAIT_EMAIL_CODE -> {
        node.put("allow_apple_id", false).put("allow_google_id", false);
        node.set("code_info", TdObjects.object("emailAddressAuthenticationCodeInfo")
            .put("email_address_pattern", EMAIL_PATTERN)
            .put("length", script.code().length()));
      }
      case WAIT_CODE -> {
        ObjectNode codeInfo = TdObjects.object("authenticationCodeInfo").put("phone_number", "+" + phoneNumber);
        codeInfo.set("type", TdObjects.object("authenticationCodeTypeTelegramMessage")
            .put("length", script.code().length()));
        codeInfo.set("next_type", TdObjects.object("authenticationCodeTypeSms").put("length", script.code().length()));
        codeInfo.put("timeout", 60);
        node.set("code_info", codeInfo);
      }
      case WAIT_OTHER_DEVICE -> node.put("link", "tg://login?token="
          + Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(qrScannedAt.toEpochMilli()).getBytes()));
      case WAIT_REGISTRATION -> {
        ObjectNode terms = TdObjects.object("termsOfService");
        terms.set("text", TdObjects.formattedText("Terms of service of the simulated Telegram."));
        terms.put("min_user_age", 0).put("show_popup", false);
        node.set("terms_of_service", terms);
      }
      case WAIT_PASSWORD -> node
          .put("password_hint", script.password().isEmpty() ? "" : "starts with " + script.password().charAt(0))
          .put("has_recovery_email_address", true)
          .put("has_passport_data", false)
          .put("recovery_email_address_pattern", EMAIL_PATTERN);
      default -> { }
    }
    return node;
  }

  private void rememberSession() {
    Path databaseDirectory = parameters.databaseDirectory();
    if (databaseDirectory == null) {
      return;
    }
    try {
      Files.createDirectories(databaseDirectory);
      Files.writeString(binlog(), "simulated TDLib session: auth ok\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path binlog() {
    return parameters.databaseDirectory().resolve(parameters.useTestDc() ? "td_test.binlog" : "td.binlog");
  }

  private void forgetSession() {
    Path databaseDirectory = parameters.databaseDirectory();
    if (databaseDirectory == null) {
      return;
    }
    try {
      Files.deleteIfExists(binlog());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
