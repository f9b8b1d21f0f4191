package dev.tg.telegram;

/**
 * The seam to Telegram: exactly the four functions of TDLib's JSON interface ({@code td_json_client.h}).
 * Implemented by the native library ({@link NativeTdJson}) and by the simulator.
 */
public interface TdJson {

  /** A new client instance; it stays silent until it receives its first request. */
  int createClientId();

  /** Sends a request to a client; callable from any thread. */
  void send(int clientId, String request);

  /**
   * Waits up to {@code timeoutSeconds} for the next response or update of any client; null on timeout.
   * Only one thread may call it.
   */
  String receive(double timeoutSeconds);

  /** Runs a synchronous request (such as {@code getOption version}) and returns its answer. */
  String execute(String request);
}
