package dev.tg.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One request's trip to the server: refused, lost, or through, possibly after a flood wait TDLib sat out. */
final class ServerCall {
  /** The answer to a request the network lost: there is none. */
  static final ObjectNode NO_ANSWER = TdObjects.object("noAnswer");

  private final SimulatedTelegram telegram;
  private int floodWaitSeconds;

  ServerCall(SimulatedTelegram telegram) {
    this.telegram = telegram;
  }

  /** Null if the server answers normally, else the refusal (or {@link #NO_ANSWER} for a lost request). */
  ObjectNode reachServer(long chatId) {
    SimulatedTelegram.Admission admission = telegram.admit(chatId);
    if (admission instanceof SimulatedTelegram.Admission.TimedOut) {
      return NO_ANSWER;
    }
    if (admission instanceof SimulatedTelegram.Admission.Failed failed) {
      return TdObjects.error(failed.code(), failed.message());
    }
    if (admission instanceof SimulatedTelegram.Admission.FloodWait wait) {
      if (!telegram.tdlibWaits(wait.seconds())) {
        return TdObjects.error(429, "Too Many Requests: retry after " + wait.seconds());
      }
      floodWaitSeconds = wait.seconds();
    }
    return null;
  }

  /** The flood wait TDLib waited out before the answer; 0 if none. */
  int floodWaitSeconds() {
    return floodWaitSeconds;
  }
}
