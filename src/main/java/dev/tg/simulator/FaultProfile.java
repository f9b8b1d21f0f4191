package dev.tg.simulator;

/**
 * Injected failures of requests that reach the server, drawn from a deterministic random sequence.
 *
 * @param timeoutRate share of requests never answered (TDLib has no per-request timeout)
 * @param serverErrorRate share answered with 500 {@code Requested data is inaccessible}
 */
public record FaultProfile(double timeoutRate, double serverErrorRate, long seed) {
  public static final FaultProfile NONE = new FaultProfile(0, 0, 0);

  public FaultProfile {
    if (timeoutRate < 0 || serverErrorRate < 0 || timeoutRate + serverErrorRate > 1) {
      throw new IllegalArgumentException("rates must be shares: " + timeoutRate + ", " + serverErrorRate);
    }
  }
}
