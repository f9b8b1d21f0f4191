package dev.tg.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The forward cursor's arithmetic, without actors: where it may go, and what a gap takes away. */
class FrontierTest {
  private static final long CURSOR = 100;

  private static Frontier trustedAt(long cursor) {
    Frontier recovered = Frontier.recovered(cursor);
    return recovered.catchUpStarted().catchUpTop(cursor).catchUpFinished();
  }

  @Test
  void aRecoveredFrontierNeedsACatchUpAndMovesNothing() {
    Frontier recovered = Frontier.recovered(CURSOR).heard(101, true).stored(List.of(101L));

    assertThat(recovered.needsCatchUp()).isTrue();
    assertThat(recovered.advanceTarget()).isEqualTo(CURSOR);
  }

  @Test
  void tdlibSayingTheLastMessageIsTheCursorTrustsWhatFollows() {
    Frontier upToDate = Frontier.recovered(CURSOR).upToDate(CURSOR).heard(101, true).stored(List.of(101L));

    assertThat(upToDate.trusted()).isTrue();
    assertThat(upToDate.advanceTarget()).isEqualTo(101);
    assertThat(Frontier.recovered(CURSOR).upToDate(99).needsCatchUp()).as("a different last message").isTrue();
  }

  @Test
  void aTrustedChainMovesOnlyOverItsStoredPrefix() {
    Frontier chain = trustedAt(CURSOR).heard(101, true).heard(102, true).heard(103, true).stored(List.of(101L, 103L));

    assertThat(chain.advanceTarget()).isEqualTo(101);
    assertThat(chain.stored(List.of(102L)).advanceTarget()).isEqualTo(103);
  }

  @Test
  void aGapKeepsWhatWasTrustedAndNothingAfter() {
    Frontier gap = trustedAt(CURSOR).heard(101, true).gap().heard(105, true).stored(List.of(101L, 105L));

    assertThat(gap.needsCatchUp()).isTrue();
    assertThat(gap.advanceTarget()).isEqualTo(101);
  }

  @Test
  void aMessageHeardWhileNotReadyWaitsForTheConnection() {
    Frontier suspended = trustedAt(CURSOR).heard(101, false).stored(List.of(101L));

    assertThat(suspended.advanceTarget()).isEqualTo(CURSOR);
    assertThat(suspended.ready().advanceTarget()).isEqualTo(101);
    assertThat(suspended.gap().ready().advanceTarget()).as("a gap before the connection was ready").isEqualTo(CURSOR);
  }

  @Test
  void aCatchUpCoversItsTopAndTheChainHeardAfterItsFirstRequest() {
    Frontier caughtUp = Frontier.recovered(CURSOR).catchUpStarted().heard(201, true).catchUpTop(200)
        .stored(List.of(201L)).catchUpFinished();

    assertThat(caughtUp.trusted()).isTrue();
    assertThat(caughtUp.advanceTarget()).isEqualTo(201);
  }

  @Test
  void aCatchUpWithAGapSinceItsFirstRequestCoversOnlyItsTop() {
    Frontier caughtUp = Frontier.recovered(CURSOR).catchUpStarted().catchUpTop(200).gap().heard(206, true)
        .stored(List.of(206L)).catchUpFinished();

    assertThat(caughtUp.needsCatchUp()).isTrue();
    assertThat(caughtUp.advanceTarget()).isEqualTo(200);
  }

  @Test
  void whatWasHeardBeforeACatchUpStartedDoesNotChainAfterABreak() {
    Frontier broken = trustedAt(CURSOR).gap().heard(150, true).stored(List.of(150L));

    assertThat(broken.advanceTarget()).isEqualTo(CURSOR);
  }

  @Test
  void aCatchUpDuringWhichSomethingWasHeardWhileNotReadyEndsSuspended() {
    Frontier caughtUp = Frontier.recovered(CURSOR).catchUpStarted().catchUpTop(200).heard(201, false)
        .stored(List.of(201L)).catchUpFinished();

    assertThat(caughtUp.advanceTarget()).isEqualTo(200);
    assertThat(caughtUp.ready().advanceTarget()).isEqualTo(201);
  }

  @Test
  void aJumpOfTheLastMessageIsAGapAndNewsIsNot() {
    Frontier heard = trustedAt(CURSOR).heard(101, true);

    assertThat(heard.isGap(101)).isFalse();
    assertThat(heard.isGap(100)).as("the last message deleted").isFalse();
    assertThat(heard.isGap(102)).isTrue();
    assertThat(heard.isGap(0)).as("the last message unknown").isTrue();
  }

  /**
   * Random interleavings of what TDLib does (messages heard ready or not, skipped ones signalled as TDLib signals
   * them, connection changes, restarts, catch-ups that page down while all this goes on) and of what the archive
   * does (writes finishing in order): the cursor never passes a message that is not stored.
   */
  @Test
  void theCursorNeverPassesAnUnstoredMessage() {
    for (long seed : Seeds.of(500)) {
      new Interleaving(seed).run(200);
    }
  }

  /** One random interleaving against a reference model of the server and the archive. */
  private static final class Interleaving {
    private final SplittableRandom random;
    private final long seed;
    private final TreeSet<Long> existing = new TreeSet<>();
    private final TreeSet<Long> stored = new TreeSet<>();
    private final List<Long> unstoredHeard = new ArrayList<>();
    private Frontier frontier = Frontier.recovered(0);
    private long next = 1;
    private boolean ready = true;
    private boolean skipToSignal;
    private long catchUpTop = -1;

    Interleaving(long seed) {
      this.seed = seed;
      this.random = new SplittableRandom(seed);
    }

    void run(int steps) {
      for (int step = 0; step < steps; step++) {
        switch (random.nextInt(10)) {
          case 0, 1, 2 -> heard();
          case 3 -> skipped();
          case 4 -> storeSome();
          case 5 -> connection();
          case 6 -> catchUpStep();
          case 7 -> restartOrOutage();
          default -> advance();
        }
        check("step " + step);
      }
    }

    private void heard() {
      signalSkipped();
      long id = next++;
      existing.add(id);
      unstoredHeard.add(id);
      frontier = frontier.heard(id, ready);
    }

    /**
     * TDLib skips a message and says so with the last message: at once when ready, else before it is ready again
     * or delivers anything newer (it applies a chat's updates in order, MessagesManager's pts handling).
     */
    private void skipped() {
      existing.add(next++);
      skipToSignal = true;
      if (ready) {
        signalSkipped();
      }
    }

    private void signalSkipped() {
      if (skipToSignal && frontier.isGap(existing.last())) {
        frontier = frontier.gap();
      }
      skipToSignal = false;
    }

    private void storeSome() {
      int count = unstoredHeard.isEmpty() ? 0 : 1 + random.nextInt(unstoredHeard.size());
      List<Long> batch = new ArrayList<>(unstoredHeard.subList(0, count));
      unstoredHeard.subList(0, count).clear();
      stored.addAll(batch);
      frontier = frontier.stored(batch);
    }

    private void connection() {
      if (ready) {
        ready = false;
      } else {
        signalSkipped();
        ready = true;
        frontier = frontier.ready();
      }
    }

    /** A catch-up: its first request, its first page (the newest message now), then its last page stored. */
    private void catchUpStep() {
      if (catchUpTop < 0 && frontier.needsCatchUp()) {
        frontier = frontier.catchUpStarted();
        catchUpTop = 0;
      } else if (catchUpTop == 0) {
        catchUpTop = existing.isEmpty() ? frontier.cursor() : existing.last();
        frontier = frontier.catchUpTop(catchUpTop);
      } else if (catchUpTop > 0) {
        stored.addAll(existing.subSet(frontier.cursor(), false, catchUpTop, true));
        frontier = frontier.catchUpFinished();
        catchUpTop = -1;
      }
    }

    private void restartOrOutage() {
      if (random.nextBoolean()) {
        frontier = Frontier.recovered(frontier.cursor());
        catchUpTop = -1;
        unstoredHeard.clear(); // what the actor had not written is lost with it
      } else {
        frontier = frontier.gap();
      }
    }

    private void advance() {
      long target = frontier.advanceTarget();
      check("before advancing to " + target, target);
      frontier = frontier.advancedTo(target);
    }

    private void check(String when) {
      check(when, frontier.cursor());
    }

    private void check(String when, long cursor) {
      for (long id : existing.headSet(cursor, true)) {
        assertThat(stored).as("seed %d, %s: message %d under cursor %d", seed, when, id, cursor).contains(id);
      }
    }
  }
}
