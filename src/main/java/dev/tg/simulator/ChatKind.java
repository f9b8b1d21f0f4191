package dev.tg.simulator;

/** The kinds of chats TDLib distinguishes, with large and medium supergroups told apart by member count. */
public enum ChatKind {
  PRIVATE,
  SECRET,
  BASIC_GROUP,
  SUPERGROUP,
  CHANNEL;

  /** Private chats and basic groups draw message ids from the account's one sequence; the others have their own. */
  boolean usesAccountSequence() {
    return this == PRIVATE || this == SECRET || this == BASIC_GROUP;
  }

  boolean isSupergroup() {
    return this == SUPERGROUP || this == CHANNEL;
  }
}
