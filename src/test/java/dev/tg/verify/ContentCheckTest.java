package dev.tg.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tg.simulator.SimMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The crash checker's judgement of edits and deletions: by when the world made them (while a run heard Telegram,
 * while the node was down) and where the message was (inside the last run's re-sweep window or below it).
 */
class ContentCheckTest {
  private static final long T0 = 1_800_000_000_000L;
  /** Two runs: the first heard from T0 + 5 s until its kill at T0 + 60 s, the last started at T0 + 100 s. */
  private static final NodeRuns RUNS = new NodeRuns(List.of(
      new NodeRuns.Run(at(0), at(5), at(60)),
      new NodeRuns.Run(at(100), at(104), at(200))));
  private static final CoveredRange EVERYTHING = new CoveredRange(Long.MIN_VALUE, Long.MAX_VALUE);

  private final SortedMap<Long, SimMessage> truth = new TreeMap<>();
  private final Map<Long, ContentCheck.Archived> archived = new HashMap<>();
  private final List<String> details = new ArrayList<>();

  @Test
  void aDeletionHeardWhileTheNodeRanMustBeMarked() {
    message(1, "hello", List.of(), List.of(), at(30));
    archive(1, "hello", false, at(10));

    ArchiveCheck.Content content = check(3, true);

    assertThat(content.whileRunning()).isEqualTo(1);
    assertThat(content.whileRunningNotRecorded()).isEqualTo(1);
    assertThat(content.failures()).isEqualTo(1);
    assertThat(details).singleElement().asString().contains("message 1 deleted at", "heard while the node ran");
  }

  @Test
  void anEditHeardWhileTheNodeRanMustBeInTheTextAndAVersion() {
    message(1, "second", List.of("first"), List.of(seconds(30)), null);
    archive(1, "first", false, at(10));
    message(2, "second", List.of("first"), List.of(seconds(30)), null);
    archive(2, "second", false, at(10), "first");

    ArchiveCheck.Content content = check(3, true);

    assertThat(content.whileRunning()).isEqualTo(2);
    assertThat(content.whileRunningNotRecorded()).as("the text of 1, and its missing version").isEqualTo(2);
    assertThat(details).allMatch(line -> line.contains("message 1"));
  }

  @Test
  void aDeletionWhileDownInsideTheWindowFailsAndBelowItIsOnlyCounted() {
    for (long id = 1; id <= 8; id++) {
      boolean deleted = id == 1 || id == 2 || id == 7; // between the runs
      message(id, "m" + id, List.of(), List.of(), deleted ? at(80) : null);
      archive(id, "m" + id, id == 7, at(10));
    }

    ArchiveCheck.Content content = check(3, true); // the re-sweep reads 8, 6 and 5: deleted ones are not there

    assertThat(content.whileDown()).isEqualTo(3);
    assertThat(content.recovered()).as("message 7, marked by the re-sweep").isEqualTo(1);
    assertThat(content.notRecoveredOutsideWindow()).as("messages 1 and 2, below the window").isEqualTo(2);
    assertThat(content.failures()).isZero();

    message(8, "m8", List.of(), List.of(), at(80));
    assertThat(check(3, true).notRecoveredInWindow()).as("message 8 deleted while down, in the window")
        .isEqualTo(1);
    assertThat(details).singleElement().asString().contains("message 8", "inside the re-sweep window");
    assertThat(check(3, false).notRecoveredInWindow()).as("no re-sweep when the chat started over").isZero();
  }

  @Test
  void aChangeJustBeforeAKillOrBeforeTheConnectionIsReadyIsJudgedAsMadeWhileDown() {
    message(1, "m1", List.of(), List.of(), at(59));
    archive(1, "m1", false, at(10));
    message(2, "m2", List.of(), List.of(), at(102));
    archive(2, "m2", false, at(10));
    message(3, "m3", List.of(), List.of(), at(199));
    archive(3, "m3", false, at(10));

    ArchiveCheck.Content content = check(100, true);

    assertThat(content.whileRunning()).isZero();
    assertThat(content.notRecoveredInWindow()).as("1: lost with the process; 2: before the last run connected")
        .isEqualTo(2);
    assertThat(content.notRecoveredOutsideWindow()).as("3: in the last moments, after the last run's re-sweep")
        .isEqualTo(1);
  }

  @Test
  void contentTheWorldNeverHadFails() {
    message(1, "m1", List.of(), List.of(), null);
    archive(1, "m1", true, at(10));
    message(2, "now", List.of("before"), List.of(seconds(30)), null);
    archive(2, "now", false, at(10), "invented");
    message(3, "m3", List.of(), List.of(), null);
    archive(3, "other", false, at(10));
    message(4, "new", List.of("old"), List.of(seconds(70)), null);
    archive(4, "old", false, at(110));

    ArchiveCheck.Content content = check(100, true);

    assertThat(content.wrong()).as("a deletion, a version and a text the world never had; a page read after an "
        + "edit without it").isEqualTo(4);
  }

  @Test
  void aMessageArchivedAfterItsChangeCameWithItAndTwoEditsWhileDownComeBackAsOneVersion() {
    message(1, "new", List.of("old"), List.of(seconds(30)), null);
    archive(1, "new", false, at(40));
    message(2, "third", List.of("first", "second"), List.of(seconds(70), seconds(80)), null);
    archive(2, "third", false, at(10), "first");

    ArchiveCheck.Content content = check(100, true);

    assertThat(content.failures()).as(String.join("\n", details)).isZero();
    assertThat(content.recovered()).isEqualTo(1);
  }

  private ArchiveCheck.Content check(int window, boolean reswept) {
    details.clear();
    ContentCheck check = new ContentCheck(RUNS, window, details);
    check.check(-100, truth, archived, EVERYTHING, reswept);
    return check.counts();
  }

  private void message(long id, String text, List<String> previousTexts, List<Integer> editDates, Instant deletedAt) {
    truth.put(id, new SimMessage(id, -100, seconds(0), editDates.isEmpty() ? 0 : editDates.get(editDates.size() - 1),
        "messageText", text, "{}", previousTexts, editDates, deletedAt != null, deletedAt));
  }

  private void archive(long id, String text, boolean deleted, Instant archivedAt, String... versions) {
    archived.put(id, new ContentCheck.Archived(text, deleted, archivedAt.toEpochMilli(), List.of(versions)));
  }

  private static Instant at(long secondsAfterT0) {
    return Instant.ofEpochMilli(T0 + secondsAfterT0 * 1000);
  }

  private static int seconds(long secondsAfterT0) {
    return (int) ((T0 + secondsAfterT0 * 1000) / 1000);
  }
}
