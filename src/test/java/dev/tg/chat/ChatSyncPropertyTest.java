package dev.tg.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.telegram.TdChat.ChatKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-based test of one chat actor on a real journal and archive: random interleavings of what TDLib does (pages
 * full or short, live messages heard ready or not, skipped ones signalled by the last message jumping or turning
 * null, edits, deletions, connection changes) and of what the node meets (journal failures, crashes, the chat
 * disabled and enabled again, its tier changing). After every step no persisted cursor passes an unstored message;
 * at quiescence the archive equals the model over the covered range: texts, edit versions and deletion marks.
 *
 * <p>{@code -Dtg.property.tries=N} runs more tries ({@code scripts/property-test}); {@code -Dtg.property.seed=S}
 * replays one.
 */
class ChatSyncPropertyTest {
  private static final int STEPS = 40;
  private static final int RECENT = 30;

  @TempDir static Path dir;
  private static ChatRig rig;

  @BeforeAll
  static void start() {
    rig = ChatRig.start(dir, Map.of("tg.sync.resweep.window", 100));
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void noCursorPassesAnUnstoredMessageAndTheArchiveEndsEqualToTheServer() {
    for (long seed : Seeds.of(200)) {
      new Try(seed).run();
    }
  }

  private static final class Try {
    private final long seed;
    private final SplittableRandom random;
    private final ChatScenario chat;
    private final List<ObjectNode> pending = new ArrayList<>();
    // messages TDLib knows (heard live or seen in a page): the only ones it reports changes of
    private final Set<Long> known = new HashSet<>();
    // delivered changes the archive may not show yet; a crash makes their messages "at risk"
    private final Set<Long> unconfirmed = new HashSet<>();
    private final Set<Long> atRisk = new HashSet<>();
    private boolean ready = true;
    private boolean member = true;
    private boolean enabled = true;
    private int members = 10;

    Try(long seed) {
      this.seed = seed;
      this.random = new SplittableRandom(seed);
      this.chat = rig.scenario(-1_000_000_000_000L - 1_000 - seed, random.nextInt(300));
    }

    void run() {
      long started = System.nanoTime();
      try (chat) {
        chat.spawn();
        chat.describe(ChatKind.SUPERGROUP, members);
        chat.start();
        for (int step = 0; step < STEPS; step++) {
          act(step);
          collectRequests();
          if (Boolean.getBoolean("tg.property.trace")) {
            System.out.printf("TRACE %d: %s%n  pending %s%n", step, chat.progress(),
                pending.stream().map(r -> r.path("@type").asText() + " from " + r.path("from_message_id")
                    .asLong() / (1 << 20) + " limit " + r.path("limit")).toList());
          }
          assertThat(chat.holes()).as("seed %d step %d: holes under the cursors", seed, step).isEmpty();
        }
        long steps = System.nanoTime();
        quiesce();
        long quiet = System.nanoTime();
        checkContent();
        if (Boolean.getBoolean("tg.property.timing")) {
          System.out.printf("seed %d: steps %d ms, quiesce %d ms, check %d ms%n", seed, (steps - started) / 1_000_000,
              (quiet - steps) / 1_000_000, (System.nanoTime() - quiet) / 1_000_000);
        }
      }
    }

    private void act(int step) {
      int roll = random.nextInt(100);
      if (Boolean.getBoolean("tg.property.trace")) {
        System.out.printf("TRACE %d: roll %d, last message %d%n", step, roll, chat.world.lastId() / (1 << 20));
      }
      if (roll < 35) {
        answerOne();
      } else if (roll < 55) {
        heard();
      } else if (roll < 61) {
        skipped();
      } else if (roll < 70) {
        edit();
      } else if (roll < 75) {
        delete();
      } else if (roll < 82) {
        connection();
      } else if (roll < 86) {
        crash();
      } else if (roll < 88) {
        journalFailure();
      } else if (roll < 94) {
        tier();
      } else {
        chat.world.tick();
      }
    }

    private void collectRequests() {
      for (Optional<ObjectNode> next = chat.td.nextRequest(Duration.ZERO); next.isPresent();
          next = chat.td.nextRequest(Duration.ZERO)) {
        pending.add(next.get());
      }
    }

    /** TDLib answers one request: a page full or short, an estimate, or a refusal of the estimate. */
    private void answerOne() {
      collectRequests();
      if (pending.isEmpty()) {
        return;
      }
      ObjectNode request = pending.remove(random.nextInt(pending.size()));
      switch (request.path("@type").asText()) {
        case "getChatHistory" -> {
          if (request.path("from_message_id").asLong() != 0 && random.nextInt(40) == 0) {
            // the history starts again from the newest message
            chat.td.fail(request, 400, "Invalid value of parameter from_message_id specified");
            return;
          }
          int limit = random.nextInt(3) == 0 ? 1 + random.nextInt(request.path("limit").asInt()) : Integer.MAX_VALUE;
          ObjectNode page = chat.world.page(request.path("from_message_id").asLong(),
              Math.min(limit, request.path("limit").asInt()));
          page.path("messages").forEach(message -> known.add(message.path("id").asLong()));
          chat.td.answer(request, page);
        }
        case "searchChatMessages" -> {
          if (random.nextBoolean()) {
            chat.td.fail(request, 500, "Requested data is inaccessible");
          } else {
            Drive.answer(chat, request);
          }
        }
        default -> Drive.answer(chat, request);
      }
    }

    private void heard() {
      long id = chat.world.post("live " + random.nextInt(1000));
      known.add(id);
      chat.live(id, ready);
    }

    /** TDLib skips messages (a long gap in a supergroup) and only the last message moves, or turns unknown. */
    private void skipped() {
      long last = 0;
      for (int i = 1 + random.nextInt(4); i > 0; i--) {
        last = chat.world.post("skipped " + random.nextInt(1000));
      }
      chat.lastMessage(random.nextInt(4) == 0 ? 0 : last);
    }

    private void edit() {
      recentKnown().ifPresent(id -> {
        chat.liveEdit(id, "edit " + random.nextInt(1_000_000));
        changed(id);
      });
    }

    private void delete() {
      recentKnown().ifPresent(id -> {
        chat.liveDelete(id);
        changed(id);
      });
    }

    private void changed(long id) {
      if (member && enabled) {
        unconfirmed.add(id);
      } else {
        atRisk.add(id); // a chat not synced drops what it hears
      }
    }

    private Optional<Long> recentKnown() {
      List<Long> candidates = chat.world.all().stream()
          .filter(message -> !message.deleted() && known.contains(message.id()))
          .map(ModelChat.Message::id)
          .sorted((a, b) -> Long.compare(b, a))
          .limit(RECENT)
          .toList();
      return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(random.nextInt(candidates.size())));
    }

    private void connection() {
      ready = !ready;
      if (ready) {
        chat.tell(random.nextBoolean() ? ChatSync.ConnectionReady.INSTANCE : ChatSync.CatchUp.INSTANCE);
      }
    }

    /** The node dies: what the actor had not written is lost; some messages arrive while it is down. */
    private void crash() {
      chat.crash();
      loseUnconfirmed();
      pending.clear();
      for (int i = random.nextInt(3); i > 0; i--) {
        chat.world.post("while down " + i);
      }
      chat.spawn();
      chat.describe(ChatKind.SUPERGROUP, members);
      chat.start();
    }

    /** A journal write fails: the actor restarts from its last event, in place. */
    private void journalFailure() {
      int restarts = chat.restarts.get();
      int recoveries = chat.recoveries.get();
      try (AutoCloseable locked = rig.lockJournal()) {
        members = members % 2 == 0 ? members + 1 : members - 1; // same tier, another count: an event
        chat.describe(ChatKind.SUPERGROUP, members);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
            .until(() -> chat.restarts.get() > restarts);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
          .until(() -> chat.recoveries.get() > recoveries);
      loseUnconfirmed();
    }

    private void loseUnconfirmed() {
      atRisk.addAll(unconfirmed);
      unconfirmed.clear();
    }

    /**
     * The member count changes: another tier, or past medium-group-max and not synced, or asked for again; or the
     * chat leaves every list and comes back.
     */
    private void tier() {
      int choice = random.nextInt(5);
      if (choice == 4) {
        member = !member;
        chat.tell(new ChatSync.Membership(member));
      } else if (choice == 3 && !enabled && member) {
        requestSync();
      } else {
        members = choice == 0 ? 10 : choice == 1 ? 50 : 500;
        chat.describe(ChatKind.SUPERGROUP, members);
        enabled = chat.progress().enabled();
      }
    }

    private void requestSync() {
      TestProbe<StatusReply<dev.tg.status.ChatProgress>> reply = rig.testKit.createTestProbe();
      chat.tell(new ChatSync.RequestSync(reply.getRef()));
      assertThat(reply.receiveMessage().isSuccess()).as("seed %d: tg sync", seed).isTrue();
      enabled = true;
    }

    private void quiesce() {
      if (!ready) {
        ready = true;
        chat.tell(ChatSync.ConnectionReady.INSTANCE);
      }
      if (!member) {
        member = true;
        chat.tell(new ChatSync.Membership(true));
      }
      if (!enabled) {
        requestSync();
      }
      pending.forEach(request -> Drive.answer(chat, request));
      pending.clear();
      Drive.settle(chat);
    }

    private void checkContent() {
      assertThat(chat.holes()).as("seed %d at quiescence: holes under the cursors", seed).isEmpty();
      // the last live writes may still be on their way
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> assertThat(differences(atRisk))
          .as("seed %d at quiescence: archive against the server", seed).isEmpty());
      // a last sign of a gap: the re-sweep reads the newest messages again, and finds what a crash lost
      chat.tell(ChatSync.CatchUp.INSTANCE);
      Drive.settle(chat);
      Set<Long> beyondTheSweep = new HashSet<>(atRisk);
      newest(rig.settings.resweep().window()).forEach(beyondTheSweep::remove);
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> assertThat(differences(beyondTheSweep))
          .as("seed %d after a re-sweep: archive against the server", seed).isEmpty());
    }

    /** Where the archive differs from the model over the covered range, leaving out {@code excluded}. */
    private List<String> differences(Set<Long> excluded) {
      dev.tg.status.ChatProgress progress = chat.progress();
      Map<Long, Map<String, Object>> archived = chat.archived();
      List<String> differences = new ArrayList<>();
      for (ModelChat.Message message : chat.world.all()) {
        Map<String, Object> row = archived.get(message.id());
        boolean covered = ChatScenario.covers(progress, message.id());
        if (row == null || !covered || excluded.contains(message.id())) {
          continue;
        }
        boolean deleted = ((Number) row.get("deleted")).intValue() == 1;
        if (deleted != message.deleted()) {
          differences.add(message.id() + ": archived deleted=" + deleted + ", is deleted=" + message.deleted());
        } else if (!message.deleted() && !message.text().equals(row.get("text"))) {
          differences.add(message.id() + ": archived [" + row.get("text") + "], is [" + message.text() + "]");
        } else if (!message.deleted() && !atRisk.contains(message.id())
            && !isSuffix(chat.versions(message.id()), message.previousTexts())) {
          // the archive keeps the edits it saw: all of them since it first stored the message
          differences.add(message.id() + ": versions " + chat.versions(message.id()) + ", edits "
              + message.previousTexts());
        }
      }
      return differences;
    }

    private static boolean isSuffix(List<String> part, List<String> whole) {
      return part.size() <= whole.size() && whole.subList(whole.size() - part.size(), whole.size()).equals(part);
    }

    private List<Long> newest(int count) {
      return chat.world.all().stream().filter(message -> !message.deleted()).map(ModelChat.Message::id)
          .sorted((a, b) -> Long.compare(b, a)).limit(count).toList();
    }
  }
}
