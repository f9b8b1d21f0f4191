package dev.tg.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.telegram.TdChat.ChatKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The findings of a reading of the chat actor (issue 10), each forced by the one interleaving that breaks it: the
 * test is TDLib, and answers each request when and how the finding needs.
 */
class ChatSyncFindingsTest {
  @TempDir static Path dir;
  private static ChatRig rig;

  @BeforeAll
  static void start() {
    rig = ChatRig.start(dir, Map.of());
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  /** Finding 1: a gap signalled during a catch-up must not let the catch-up's end pass the gap. */
  @Test
  void aCatchUpRetriggeredByAGapDoesNotPassThatGap() {
    try (ChatScenario chat = rig.scenario(-1_000_000_000_101L, 100)) {
      chat.spawn();
      chat.describe(ChatKind.SUPERGROUP, 10);
      chat.start();
      Drive.settle(chat);
      long cursorBefore = chat.progress().forwardCursor();

      chat.crash();
      for (int i = 0; i < 100; i++) {
        chat.world.post("while down " + i);
      }
      chat.spawn();
      chat.describe(ChatKind.SUPERGROUP, 10);
      chat.start();
      ObjectNode firstPage = Drive.until(chat, request -> Drive.isHistoryFrom(request, 0));
      chat.answerHistory(firstPage, 1); // TDLib's first page: the last message only
      ObjectNode secondPage = Drive.until(chat, request -> Drive.isHistory(request));
      // the supergroup skips five messages (only the last message moves), then one arrives live
      List<Long> skipped = List.of(chat.world.post("skipped 1"), chat.world.post("skipped 2"),
          chat.world.post("skipped 3"), chat.world.post("skipped 4"), chat.world.post("skipped 5"));
      chat.lastMessage(skipped.get(4));
      long live = chat.world.post("live after the gap");
      chat.live(live, true);
      chat.awaitArchived(live);
      chat.answerHistory(secondPage);
      Drive.settle(chat);

      assertThat(cursorBefore).isPositive();
      assertThat(chat.holes()).as("messages under the forward cursor that are not archived").isEmpty();
      assertThat(chat.archived().keySet()).containsAll(skipped);
      assertThat(chat.progress().forwardCursor()).isEqualTo(live);
    }
  }

  /** Finding 2: a chat that did not sync for a while dropped its news; enabling it again must catch up first. */
  @Test
  void aChatEnabledAgainCatchesUpWhatItDroppedWhileDisabled() {
    try (ChatScenario chat = rig.scenario(-1_000_000_000_102L, 20)) {
      chat.spawn();
      chat.describe(ChatKind.SUPERGROUP, 50);
      chat.start();
      Drive.settle(chat);

      chat.describe(ChatKind.SUPERGROUP, 500); // grew past medium-group-max: not synced any more
      await().until(() -> !chat.progress().enabled());
      long droppedOne = chat.world.post("while disabled 1");
      long droppedTwo = chat.world.post("while disabled 2");
      chat.live(droppedOne, true);
      chat.live(droppedTwo, true);
      TestProbe<StatusReply<dev.tg.status.ChatProgress>> reply = rig.testKit.createTestProbe();
      chat.tell(new ChatSync.RequestSync(reply.getRef()));
      assertThat(reply.receiveMessage().isSuccess()).isTrue();
      long after = chat.world.post("after tg sync");
      chat.live(after, true);
      chat.awaitArchived(after);
      Drive.settle(chat);

      assertThat(chat.holes()).as("messages under the forward cursor that are not archived").isEmpty();
      assertThat(chat.archived().keySet()).contains(droppedOne, droppedTwo, after);
    }
  }

  /**
   * Finding 3: what arrives while TDLib is not ready (updating after an outage) may follow a message it skipped;
   * it must not move the cursor before a catch-up says there was no gap.
   */
  @Test
  void aMessageHeardWhileTdlibIsNotReadyDoesNotMoveTheCursorOverASkippedOne() {
    try (ChatScenario chat = rig.scenario(-1_000_000_000_103L, 20)) {
      chat.spawn();
      chat.describe(ChatKind.SUPERGROUP, 10);
      chat.start();
      Drive.settle(chat);
      long cursorBefore = chat.progress().forwardCursor();

      long skipped = chat.world.post("skipped during the outage");
      long heard = chat.world.post("heard while updating");
      chat.live(heard, false);
      chat.awaitArchived(heard);
      assertThat(chat.holes()).as("holes under the cursor while updating").isEmpty();
      chat.tell(ChatSync.CatchUp.INSTANCE); // the connection is back after a long outage
      Drive.settle(chat);

      assertThat(cursorBefore).isPositive();
      assertThat(chat.holes()).as("messages under the forward cursor that are not archived").isEmpty();
      assertThat(chat.archived().keySet()).contains(skipped, heard);
    }
  }

  /** Finding 4: an edit or deletion of a message whose history page is still on its way must survive the page. */
  @Test
  void anEditAndADeletionBeforeTheirPageIsStoredAreNotLost() {
    try (ChatScenario chat = rig.scenario(4_000_004L, 300)) {
      chat.spawn();
      chat.describe(ChatKind.PRIVATE, 2);
      chat.start();
      ObjectNode firstPage = Drive.until(chat, request -> Drive.isHistoryFrom(request, 0));
      chat.answerHistory(firstPage, 1);
      long newest = chat.world.lastId();
      ObjectNode olderPage = Drive.until(chat, request -> Drive.isHistoryFrom(request, newest));
      ObjectNode stale = chat.world.page(newest, olderPage.path("limit").asInt()); // fetched before the changes
      long edited = ModelChat.messageId(250);
      long deleted = ModelChat.messageId(240);
      chat.liveEdit(edited, "edited before its page was stored");
      chat.liveDelete(deleted);
      long flush = chat.world.post("after the changes");
      chat.live(flush, true);
      chat.awaitArchived(flush);
      chat.td.answer(olderPage, stale);
      chat.awaitArchived(edited);
      Drive.settle(chat);

      assertThat(chat.contentDifferences()).as("archive against the server").isEmpty();
      assertThat(chat.holes()).isEmpty();
    }
  }

  /**
   * Finding 5: edits and deletions heard but not yet written when the node dies are not heard again; after the
   * restart the re-sweep of the chat's recent messages must find them.
   */
  @Test
  void editsAndDeletionsLostInACrashAreFoundByTheReSweep() {
    try (ChatScenario chat = rig.scenario(4_000_005L, 50)) {
      chat.spawn();
      chat.describe(ChatKind.PRIVATE, 2);
      chat.start();
      Drive.settle(chat);

      rig.writer.pause();
      long posted = chat.world.post("written when the node died");
      chat.live(posted, true);
      await().until(rig.writer::holding);
      chat.liveEdit(ModelChat.messageId(30), "edited just before the crash");
      chat.liveDelete(ModelChat.messageId(20));
      chat.crash();
      rig.writer.resume();
      chat.awaitArchived(posted);

      chat.spawn();
      chat.describe(ChatKind.PRIVATE, 2);
      chat.start();
      Drive.settle(chat);

      assertThat(chat.contentDifferences()).as("archive against the server").isEmpty();
      assertThat(chat.holes()).isEmpty();
    }
  }

  /** Finding 6a: a page that holds only messages being sent is not the start of the history. */
  @Test
  void aFirstPageOfOnlyUnsentMessagesDoesNotEndTheHistory() {
    try (ChatScenario chat = rig.scenario(4_000_006L, 50)) {
      chat.spawn();
      chat.describe(ChatKind.PRIVATE, 2);
      chat.start();
      ObjectNode firstPage = Drive.until(chat, request -> Drive.isHistoryFrom(request, 0));
      chat.td.answer(firstPage, chat.world.page(List.of(chat.world.pendingJson(chat.world.lastId(), "sending"))));
      Drive.settle(chat);

      assertThat(chat.archived()).as("the whole history").hasSize(50);
      assertThat(chat.progress().historyComplete()).isTrue();
    }
  }

  /**
   * Finding 6b: a live write answered while the actor restarts after a journal failure (the answer is lost in the
   * restart) must not stop live storage for the chat.
   */
  @Test
  void liveStorageGoesOnAfterAJournalFailureLostTheAnswerOfAWrite() throws Exception {
    try (ChatRig dropping = ChatRig.start(dir.resolve("dropping"), Map.of(
        // every message that reaches the actor while it waits to restart is dropped: the answer of the write too
        "pekko.actor.typed.restart-stash-capacity", 0));
        ChatScenario chat = dropping.scenario(4_000_007L, 10)) {
      chat.spawn();
      chat.describe(ChatKind.PRIVATE, 2);
      chat.start();
      Drive.settle(chat);

      dropping.writer.pause();
      long inFlight = chat.world.post("its answer is lost");
      chat.live(inFlight, true);
      await().until(dropping.writer::holding);
      try (AutoCloseable locked = dropping.lockJournal()) {
        chat.describe(ChatKind.PRIVATE, 3); // an event to persist, which fails
        Drive.awaitRestartBackoff(dropping, chat);
        dropping.writer.resume();
        chat.awaitArchived(inFlight);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> chat.recoveries.get() >= 2);
      long later = chat.world.post("after the restart");
      chat.live(later, true);
      chat.awaitArchived(later);
    }
  }
}
