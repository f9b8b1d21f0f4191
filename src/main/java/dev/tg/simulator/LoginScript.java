package dev.tg.simulator;

/**
 * How the simulated account logs in.
 *
 * @param automatic straight to Ready after {@code setTdlibParameters}, as if a session existed
 * @param code the right authentication code
 * @param password the 2-step verification password, or null when the account has none
 * @param emailRequired whether login first asks for an email address and its code
 * @param registrationRequired whether the phone number is new and must register a name
 * @param premiumPurchaseRequired whether the server answers the phone number with auth.sentCodePaymentRequired, so
 *     TDLib waits for a Telegram Premium purchase (authorizationStateWaitPremiumPurchase) that never comes here
 */
public record LoginScript(
    boolean automatic, String code, String password, boolean emailRequired, boolean registrationRequired,
    boolean premiumPurchaseRequired) {

  public static final LoginScript AUTO = new LoginScript(true, "", null, false, false, false);

  public static LoginScript code(String code) {
    return new LoginScript(false, code, null, false, false, false);
  }

  public LoginScript withPassword(String newPassword) {
    return new LoginScript(automatic, code, newPassword, emailRequired, registrationRequired, premiumPurchaseRequired);
  }

  public LoginScript withEmail() {
    return new LoginScript(automatic, code, password, true, registrationRequired, premiumPurchaseRequired);
  }

  public LoginScript withRegistration() {
    return new LoginScript(automatic, code, password, emailRequired, true, premiumPurchaseRequired);
  }

  public LoginScript withPremiumPurchase() {
    return new LoginScript(automatic, code, password, emailRequired, registrationRequired, true);
  }
}
