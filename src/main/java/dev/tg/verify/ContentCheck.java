package dev.tg.verify;

import dev.tg.simulator.SimMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Text, edit versions and deletion marks of archived messages against the world's, each change judged by when the
 * world made it. A change made while the node ran and heard Telegram must be in the archive. A change made while
 * it was down (or starting, or in the last moments before a kill) can only come back through the re-sweep: it must
 * be in the archive if it was made before the last run connected and the message was within that run's re-sweep
 * window (the newest {@code tg.sync.resweep.window} messages when it started, counting the ones that arrived
 * after), and is only counted if not: made before that run's TDLib was logged in, the re-sweep reads it later;
 * made after, TDLib announces it. A change made well before the message was archived came with its page.
 */
final class ContentCheck {
  /**
   * A page written later than this after a change was read after it: a history write waits behind the live lane
   * and other chats' pages, for seconds on a loaded machine.
   */
  private static final long PAGE_MARGIN_MILLIS = 10_000;
  private static final long SECOND = 1_000;

  /** A message as the archive holds it; {@code versions} are the texts of its earlier versions, oldest first. */
  record Archived(String text, boolean deleted, long archivedAtMillis, List<String> versions) {}

  private final NodeRuns runs;
  private final int resweepWindow;
  private final List<String> details;
  private long seen;
  private long seenNotRecorded;
  private long whileDown;
  private long recovered;
  private long notRecoveredInWindow;
  private long notRecoveredOutsideWindow;
  private long wrong;

  ContentCheck(NodeRuns runs, int resweepWindow, List<String> details) {
    this.runs = runs;
    this.resweepWindow = resweepWindow;
    this.details = details;
  }

  ArchiveCheck.Content counts() {
    return new ArchiveCheck.Content(seen, seenNotRecorded, whileDown, recovered, notRecoveredInWindow,
        notRecoveredOutsideWindow, wrong);
  }

  /**
   * Checks one chat's archived messages of the covered range; {@code resweptInLastRun} is false when the chat
   * started over in the last run (no re-sweep then, its first page comes instead).
   */
  void check(long chatId, SortedMap<Long, SimMessage> truth, Map<Long, Archived> archived, CoveredRange range,
      boolean resweptInLastRun) {
    Map<Long, Integer> positions = resweptInLastRun ? positionsAtLastStart(truth) : Map.of();
    for (SimMessage message : truth.values()) {
      Archived row = archived.get(message.id());
      if (row == null || !range.contains(message.id())) {
        continue;
      }
      Integer position = positions.get(message.id());
      boolean inWindow = position != null && position <= resweepWindow
          && row.archivedAtMillis() < runs.last().startedAt().toEpochMilli();
      String where = "chat " + chatId + ": message " + message.id();
      checkDeletion(message, row, inWindow, where);
      checkText(message, row, inWindow, where);
      checkVersions(message, row, where);
    }
  }

  private void checkDeletion(SimMessage message, Archived row, boolean inWindow, String where) {
    if (message.deleted()) {
      long at = message.deletedAt().toEpochMilli();
      judge(at, at, row.deleted(), inWindow, row, where + " deleted at " + message.deletedAt() + " is not marked");
    } else if (row.deleted()) {
      wrong++;
      details.add(where + " is marked deleted; the world still has it");
    }
  }

  private void checkText(SimMessage message, Archived row, boolean inWindow, String where) {
    boolean same = message.text().equals(row.text() == null ? "" : row.text());
    if (message.editDates().isEmpty()) {
      if (!same) {
        wrong++;
        details.add(where + " has [" + row.text() + "], never edited, not [" + message.text() + "]");
      }
      return;
    }
    long editedAt = message.editDates().get(message.editDates().size() - 1) * SECOND;
    boolean beforePage = editedAt + SECOND < row.archivedAtMillis() - PAGE_MARGIN_MILLIS;
    if (message.deleted() && !same && !beforePage && !runs.heard(editedAt, editedAt + SECOND - 1)) {
      // the edit came unheard and the message is gone: no page shows its text again
      whileDown++;
      notRecoveredOutsideWindow++;
      return;
    }
    judge(editedAt, editedAt + SECOND - 1, same, inWindow, row,
        where + " has [" + row.text() + "], not [" + message.text() + "] (edited at " + editedAt / SECOND + ")");
  }

  /**
   * At least a version per edit heard after the message was archived, at most one per edit since (edits made while
   * the node was down come back as one), each a text the world had.
   */
  private void checkVersions(SimMessage message, Archived row, String where) {
    int least = 0;
    int most = 0;
    for (int date : message.editDates()) {
      long at = date * SECOND;
      if (at + SECOND + PAGE_MARGIN_MILLIS >= row.archivedAtMillis()) {
        most++;
      }
      if (at > row.archivedAtMillis() && runs.heard(at, at + SECOND - 1)) {
        least++;
      }
    }
    int versions = row.versions().size();
    if (versions < least) {
      seenNotRecorded++;
      details.add(where + " has " + versions + " earlier version(s); " + least + " edit(s) were heard after it "
          + "was archived");
    } else if (versions > most) {
      wrong++;
      details.add(where + " has " + versions + " earlier version(s); the world edited it " + most + " time(s) since "
          + "it was archived");
    }
    List<String> known = new ArrayList<>(message.previousTexts());
    for (String version : row.versions()) {
      if (!known.contains(version == null ? "" : version)) {
        wrong++;
        details.add(where + " has a version [" + version + "] the world never had");
      }
    }
  }

  /** Counts one change made during {@code [fromMillis, toMillis]}, recorded or not. */
  private void judge(long fromMillis, long toMillis, boolean recorded, boolean inWindow, Archived row,
      String problem) {
    if (runs.heard(fromMillis, toMillis)) {
      seen++;
      if (!recorded) {
        seenNotRecorded++;
        details.add(problem + ", heard while the node ran");
      }
    } else if (toMillis < row.archivedAtMillis() - PAGE_MARGIN_MILLIS) {
      if (!recorded) {
        wrong++;
        details.add(problem + ", changed before its page was read");
      }
    } else {
      whileDown++;
      if (recorded) {
        recovered++;
      } else if (inWindow && toMillis < runs.last().readyAt().toEpochMilli()) {
        notRecoveredInWindow++;
        details.add(problem + ", changed while the node was down, inside the re-sweep window");
      } else {
        notRecoveredOutsideWindow++;
      }
    }
  }

  /**
   * Each message's place counted from the newest, over the messages that existed when the last run started and
   * those that came after (the re-sweep read its pages later, so they were above it too); empty if the last run
   * never connected.
   */
  private Map<Long, Integer> positionsAtLastStart(SortedMap<Long, SimMessage> truth) {
    NodeRuns.Run last = runs.last();
    if (last == null || last.readyAt() == null) {
      return Map.of();
    }
    List<SimMessage> newestFirst = new ArrayList<>(truth.values());
    Collections.reverse(newestFirst);
    Map<Long, Integer> positions = new HashMap<>();
    int position = 0;
    for (SimMessage message : newestFirst) {
      if (!message.deleted() || message.deletedAt().isAfter(last.startedAt())) {
        position++;
      }
      positions.put(message.id(), position);
    }
    return positions;
  }
}
