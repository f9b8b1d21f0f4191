package dev.tg.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One request's trips to the server: refused, lost, through, or flood-waited. As NetQueryDelayer::delay does, TDLib
 * sits out each FLOOD_WAIT and resends while the request's total wait stays within the limit, then answers 429.
 */
final class ServerCall {
  /** The answer to a request the network lost: there is none. */
  static final ObjectNode NO_ANSWER = TdObjects.object("noAnswer");
  /** No answer yet: TDLib resends the request after {@link #retryAfterSeconds}. */
  static final ObjectNode RESEND = TdObjects.object("resend");
  /** No answer yet: the network is down, and TDLib sends the request once it is back. */
  static final ObjectNode OFFLINE = TdObjects.object("offline");

  private final SimulatedTelegram telegram;
  private int waitedSeconds;
  private int retryAfterSeconds;

  ServerCall(SimulatedTelegram telegram) {
    this.telegram = telegram;
  }

  /** Null if the server answers normally, else the refusal, {@link #NO_ANSWER}, {@link #RESEND} or {@link #OFFLINE}. */
  ObjectNode reachServer(long chatId) {
    if (telegram.isOffline()) {
      return OFFLINE;
    }
    ServerAdmission.Admission admission = telegram.admit(chatId);
    if (admission instanceof ServerAdmission.Admission.TimedOut) {
      return NO_ANSWER;
    }
    if (admission instanceof ServerAdmission.Admission.Failed failed) {
      return TdObjects.error(failed.code(), failed.message());
    }
    if (admission instanceof ServerAdmission.Admission.FloodWait wait) {
      // NetQuery's total_timeout_ grows by each wait; past total_timeout_limit_ the request fails with the last one
      if (!telegram.tdlibWaits(waitedSeconds + wait.seconds())) {
        return TdObjects.error(429, "Too Many Requests: retry after " + wait.seconds());
      }
      waitedSeconds += wait.seconds();
      retryAfterSeconds = wait.seconds();
      return RESEND;
    }
    return null;
  }

  /** The wait before the resend {@link #RESEND} asked for. */
  int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The flood waits TDLib sat out for this request so far; 0 if none. */
  int waitedSeconds() {
    return waitedSeconds;
  }
}
