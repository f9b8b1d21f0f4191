package dev.tg.simulator;

import static dev.tg.simulator.TdHarness.request;
import static dev.tg.simulator.TdHarness.tdlibParameters;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginTest {
  private static final WorldSpec WORLD = WorldSpec.tiny(7).withLiveTraffic(0, 0, 0);
  private TdHarness harness;

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void newClientIsSilentUntilItsFirstRequest() {
    harness = new TdHarness(WORLD, LoginScript.AUTO);
    int client = harness.td.createClientId();
    assertThat(harness.allUpdates()).isEmpty();
    ObjectNode version = harness.call(client, request("getOption").put("name", "version"));
    assertThat(version.path("value").asText()).isEqualTo("1.8.65");
    assertThat(harness.allUpdates()).extracting(update -> update.path("@type").asText())
        .containsExactly("updateOption", "updateAuthorizationState");
    assertThat(states()).containsExactly("authorizationStateWaitTdlibParameters");
  }

  @Test
  void automaticLoginGoesStraightToReady() {
    harness = new TdHarness(WORLD, LoginScript.AUTO);
    int client = harness.td.createClientId();
    assertThat(harness.call(client, tdlibParameters("")).path("@type").asText()).isEqualTo("ok");
    assertThat(states()).containsExactly("authorizationStateWaitTdlibParameters", "authorizationStateReady");
    assertThat(harness.updates("updateConnectionState")).last()
        .satisfies(update -> assertThat(update.path("state").path("@type").asText()).isEqualTo("connectionStateReady"));
  }

  @Test
  void requestsBeforeLoginAreRefused() {
    harness = new TdHarness(WORLD, LoginScript.code("12345"));
    int client = harness.td.createClientId();
    ObjectNode early = harness.call(client, request("getContacts"));
    assertThat(early.path("code").asInt()).isEqualTo(400);
    assertThat(early.path("message").asText())
        .isEqualTo("Initialization parameters are needed: call setTdlibParameters first");
    harness.call(client, tdlibParameters(""));
    ObjectNode unauthorized = harness.call(client, request("getContacts"));
    assertThat(unauthorized.path("code").asInt()).isEqualTo(401);
    assertThat(unauthorized.path("message").asText()).isEqualTo("Unauthorized");
  }

  @Test
  void parametersAreValidated() {
    harness = new TdHarness(WORLD, LoginScript.AUTO);
    int client = harness.td.createClientId();
    ObjectNode noLanguage = harness.call(client, tdlibParameters("").put("system_language_code", ""));
    assertThat(noLanguage.path("message").asText()).isEqualTo("System language code must be non-empty");
    ObjectNode noApiId = harness.call(client, tdlibParameters("").put("api_id", 0));
    assertThat(noApiId.path("code").asInt()).isEqualTo(400);
    assertThat(noApiId.path("message").asText()).startsWith("Valid api_id must be provided");
  }

  @Test
  void codeLoginWithAWrongCodeFirst() {
    harness = new TdHarness(WORLD, LoginScript.code("12345"));
    int client = harness.td.createClientId();
    harness.call(client, tdlibParameters(""));
    assertThat(harness.call(client, request("setAuthenticationPhoneNumber").put("phone_number", "+1 555 0100"))
        .path("@type").asText()).isEqualTo("ok");
    ObjectNode wrong = harness.call(client, request("checkAuthenticationCode").put("code", "00000"));
    assertThat(wrong.path("code").asInt()).isEqualTo(400);
    assertThat(wrong.path("message").asText()).isEqualTo("PHONE_CODE_INVALID");
    assertThat(harness.call(client, request("checkAuthenticationCode").put("code", "12345")).path("@type").asText())
        .isEqualTo("ok");
    assertThat(states()).containsExactly("authorizationStateWaitTdlibParameters", "authorizationStateWaitPhoneNumber",
        "authorizationStateWaitCode", "authorizationStateReady");
    ObjectNode waitCode = harness.updates("updateAuthorizationState").get(2).path("authorization_state").deepCopy();
    assertThat(waitCode.path("code_info").path("type").path("length").asInt()).isEqualTo(5);
  }

  @Test
  void codeAndPassword() {
    harness = new TdHarness(WORLD, LoginScript.code("12345").withPassword("secret"));
    int client = harness.td.createClientId();
    harness.call(client, tdlibParameters(""));
    harness.call(client, request("setAuthenticationPhoneNumber").put("phone_number", "15550100"));
    harness.call(client, request("checkAuthenticationCode").put("code", "12345"));
    ObjectNode wrong = harness.call(client, request("checkAuthenticationPassword").put("password", "guess"));
    assertThat(wrong.path("message").asText()).isEqualTo("PASSWORD_HASH_INVALID");
    harness.call(client, request("checkAuthenticationPassword").put("password", "secret"));
    assertThat(states()).endsWith("authorizationStateWaitPassword", "authorizationStateReady");
    assertThat(harness.updates("updateAuthorizationState").get(3).path("authorization_state")
        .path("password_hint").asText()).isNotEmpty();
  }

  @Test
  void emailAndRegistrationScripts() {
    harness = new TdHarness(WORLD, LoginScript.code("777").withEmail().withRegistration());
    int client = harness.td.createClientId();
    harness.call(client, tdlibParameters(""));
    harness.call(client, request("setAuthenticationPhoneNumber").put("phone_number", "15550100"));
    harness.call(client, request("setAuthenticationEmailAddress").put("email_address", "d@example.com"));
    harness.call(client, request("checkAuthenticationEmailCode")
        .set("code", request("emailAddressAuthenticationCode").put("code", "777")));
    harness.call(client, request("checkAuthenticationCode").put("code", "777"));
    harness.call(client, request("registerUser").put("first_name", "Dee").put("last_name", ""));
    assertThat(states()).containsExactly("authorizationStateWaitTdlibParameters", "authorizationStateWaitPhoneNumber",
        "authorizationStateWaitEmailAddress", "authorizationStateWaitEmailCode", "authorizationStateWaitCode",
        "authorizationStateWaitRegistration", "authorizationStateReady");
  }

  @Test
  void premiumPurchaseIsAStateLeftOnlyAnotherWay() {
    harness = new TdHarness(WORLD, LoginScript.code("12345").withPremiumPurchase());
    int client = harness.td.createClientId();
    harness.call(client, tdlibParameters(""));
    assertThat(harness.call(client, request("setAuthenticationPhoneNumber").put("phone_number", "15550100"))
        .path("@type").asText()).isEqualTo("ok");
    assertThat(states()).last().isEqualTo("authorizationStateWaitPremiumPurchase");
    ObjectNode state = harness.updates("updateAuthorizationState").get(2).path("authorization_state").deepCopy();
    assertThat(state.path("store_product_id").asText()).isNotEmpty();
    assertThat(state.path("premium_day_count").asInt()).isPositive();
    assertThat(state.path("support_email_address").asText()).contains("@");
    assertThat(state.path("support_email_subject").asText()).isNotEmpty();
    ObjectNode code = harness.call(client, request("checkAuthenticationCode").put("code", "12345"));
    assertThat(code.path("message").asText()).isEqualTo("Call to checkAuthenticationCode unexpected");
    // AuthManager::request_qr_code_authentication accepts WaitPremiumPurchase
    harness.call(client, request("requestQrCodeAuthentication"));
    assertThat(states()).last().isEqualTo("authorizationStateWaitOtherDeviceConfirmation");
  }

  @Test
  void qrCodeConfirmedByTheOtherDevice() {
    harness = new TdHarness(WORLD, LoginScript.code("12345"));
    int client = harness.td.createClientId();
    harness.call(client, tdlibParameters(""));
    harness.call(client, request("requestQrCodeAuthentication"));
    ObjectNode waiting = harness.updates("updateAuthorizationState").get(2).path("authorization_state").deepCopy();
    assertThat(waiting.path("@type").asText()).isEqualTo("authorizationStateWaitOtherDeviceConfirmation");
    assertThat(waiting.path("link").asText()).startsWith("tg://login?token=");
    harness.simulated.confirmQr();
    assertThat(states()).last().isEqualTo("authorizationStateReady");
  }

  @Test
  void qrCodeIsScannedByItselfAfterAShortWhile() {
    harness = new TdHarness(WORLD, LoginScript.code("12345"));
    int client = harness.td.createClientId();
    harness.call(client, tdlibParameters(""));
    harness.call(client, request("requestQrCodeAuthentication"));
    harness.clock.advance(Duration.ofSeconds(3));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> states().contains("authorizationStateReady"));
  }

  @Test
  void rememberedSessionSkipsLogin(@TempDir Path database) {
    harness = new TdHarness(WORLD, LoginScript.code("12345"));
    int first = harness.td.createClientId();
    harness.call(first, tdlibParameters(database.toString()));
    harness.call(first, request("setAuthenticationPhoneNumber").put("phone_number", "15550100"));
    harness.call(first, request("checkAuthenticationCode").put("code", "12345"));
    harness.call(first, request("close"));
    harness.clearUpdates();
    int second = harness.td.createClientId();
    harness.call(second, tdlibParameters(database.toString()));
    assertThat(states()).containsExactly("authorizationStateWaitTdlibParameters", "authorizationStateReady");
  }

  @Test
  void closeThenRequestsAreAborted() {
    harness = new TdHarness(WORLD, LoginScript.AUTO);
    int client = harness.td.createClientId();
    harness.call(client, tdlibParameters(""));
    harness.clearUpdates();
    long close = harness.send(client, request("close"));
    assertThat(harness.await(close).path("@type").asText()).isEqualTo("ok");
    assertThat(states()).containsExactly("authorizationStateClosing", "authorizationStateClosed");
    harness.telegram.setRtt(Duration.ofSeconds(10));
    ObjectNode aborted = harness.call(client, request("getOption").put("name", "version"));
    assertThat(aborted.path("code").asInt()).isEqualTo(500);
    assertThat(aborted.path("message").asText()).isEqualTo("Request aborted");
  }

  @Test
  void unknownMethodsAndSynchronousExecute() {
    harness = new TdHarness(WORLD, LoginScript.AUTO);
    int client = harness.td.createClientId();
    ObjectNode unknown = harness.call(client, request("getFancyThing"));
    assertThat(unknown.path("code").asInt()).isEqualTo(400);
    assertThat(unknown.path("message").asText()).contains("Unknown class \"getFancyThing\"");
    ObjectNode version = TdHarness.parse(harness.td.execute("{\"@type\":\"getOption\",\"name\":\"version\"}"));
    assertThat(version.path("value").asText()).isEqualTo("1.8.65");
    assertThat(TdHarness.parse(harness.td.execute("{\"@type\":\"setLogVerbosityLevel\",\"new_verbosity_level\":1}"))
        .path("@type").asText()).isEqualTo("ok");
  }

  private List<String> states() {
    return harness.updates("updateAuthorizationState").stream()
        .map(update -> update.path("authorization_state").path("@type").asText())
        .toList();
  }
}
