package dev.tg.simulator;

import java.util.SplittableRandom;

/**
 * What the simulated server does with a request once it reaches it: a timeout or a server error drawn from the
 * fault profile, a flood wait from the flood limits, or the request is accepted. Not thread-safe: the world calls it
 * under its lock.
 */
final class ServerAdmission {
  sealed interface Admission {
    record Accepted() implements Admission {}

    record TimedOut() implements Admission {}

    record Failed(int code, String message) implements Admission {}

    record FloodWait(int seconds) implements Admission {}
  }

  private final FloodLimiter flood = new FloodLimiter();
  private FaultProfile faults = FaultProfile.NONE;
  private SplittableRandom faultRandom = new SplittableRandom(0);

  void setFaults(FaultProfile profile) {
    faults = profile;
    faultRandom = new SplittableRandom(profile.seed());
  }

  FloodLimiter flood() {
    return flood;
  }

  Admission admit(long nowMillis, long chatId) {
    double roll = faults.timeoutRate() + faults.serverErrorRate() > 0 ? faultRandom.nextDouble() : 1;
    if (roll < faults.timeoutRate()) {
      return new Admission.TimedOut();
    }
    int floodWait = flood.admit(nowMillis, chatId);
    if (floodWait > 0) {
      return new Admission.FloodWait(floodWait);
    }
    if (roll < faults.timeoutRate() + faults.serverErrorRate()) {
      return new Admission.Failed(500, "Requested data is inaccessible");
    }
    return new Admission.Accepted();
  }
}
