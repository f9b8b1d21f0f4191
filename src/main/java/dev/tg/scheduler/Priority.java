package dev.tg.scheduler;

/** The design's tiers; a lower number is served first, FIFO within a tier. */
public enum Priority {
  /** Real time: catch-up of missed messages and gaps. */
  P0("Realtime"),
  /** DMs and small groups: full history; also every chat's initial load. */
  P1("High"),
  /** Medium groups: deep history after their last messages. */
  P2("Medium"),
  /** Large groups and channels: nothing until asked. */
  P3("Low"),
  /** Explicit requests ({@code tg sync}). */
  P4("Explicit");

  private final String label;

  Priority(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
