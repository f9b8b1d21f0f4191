package dev.tg.verify;

import dev.tg.chat.ChatState;

/** An id range a chat's cursors vouch for; {@code low > high} is empty. */
record CoveredRange(long low, long high) {
  static final CoveredRange EMPTY = new CoveredRange(1, 0);

  static CoveredRange of(ChatState state) {
    if (!state.initialized() || state.forwardCursor() == 0) {
      return EMPTY;
    }
    return new CoveredRange(state.historyComplete() ? Long.MIN_VALUE : state.backwardCursor(),
        state.forwardCursor());
  }

  boolean contains(long id) {
    return low <= id && id <= high;
  }

  boolean isEmpty() {
    return low > high;
  }
}
