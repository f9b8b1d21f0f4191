package dev.tg.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;

/**
 * What {@link LoginDialogue} tells the user: TDLib's refusals of an answer the user can correct (by TDLib's error
 * message), and what the other errors and the code's delivery mean.
 */
final class LoginWords {
  static final Map<String, String> WRONG_PHONE = Map.of(
      "PHONE_NUMBER_INVALID", "That is not a valid phone number: use the international format, e.g. +44 7700 900123.");
  static final Map<String, String> WRONG_CODE = Map.of(
      "PHONE_CODE_INVALID", "That code is wrong; try again.",
      "PHONE_CODE_EMPTY", "The code is empty; try again.");
  static final Map<String, String> WRONG_EMAIL = Map.of(
      "EMAIL_INVALID", "That is not a valid email address; try again.");
  static final Map<String, String> WRONG_EMAIL_CODE = Map.of(
      "EMAIL_CODE_INVALID", "That code is wrong; try again.");
  static final Map<String, String> WRONG_PASSWORD = Map.of(
      "PASSWORD_HASH_INVALID", "That password is wrong; try again.");

  private LoginWords() {}

  static String explain(String method, TdException error) {
    String message = error.tdMessage();
    if (error instanceof TdException.FloodWait flood) {
      return "Telegram asks to wait " + seconds(flood.retryAfter()) + " before trying again (" + message + ")";
    }
    if (message.equals("PHONE_CODE_EXPIRED")) {
      return "the code has expired: run `tg login` again for a new one";
    }
    if (message.equals("PHONE_NUMBER_BANNED")) {
      return "Telegram has banned this phone number";
    }
    return method + " failed: " + error.getMessage();
  }

  static String whereTheCodeWent(JsonNode type) {
    return switch (type.path("@type").asText()) {
      case "authenticationCodeTypeTelegramMessage" ->
          "Telegram sent a login code as a message to your Telegram apps on other devices.";
      case "authenticationCodeTypeSms", "authenticationCodeTypeSmsWord", "authenticationCodeTypeSmsPhrase",
          "authenticationCodeTypeFirebaseAndroid", "authenticationCodeTypeFirebaseIos" ->
          "Telegram sent a login code by SMS.";
      case "authenticationCodeTypeCall" -> "Telegram is calling your phone to tell you the login code.";
      case "authenticationCodeTypeFlashCall", "authenticationCodeTypeMissedCall" ->
          "Telegram is calling your phone: the code is the last digits of the calling number.";
      case "authenticationCodeTypeFragment" -> "Telegram sent the login code to your number on fragment.com.";
      default -> "Telegram sent a login code.";
    };
  }

  static String seconds(Duration duration) {
    return duration.toSeconds() + " s";
  }
}
