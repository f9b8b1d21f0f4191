package dev.tg.chat;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.status.ChatProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.pekko.actor.Dropped;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Ways to drive a {@link ChatScenario}: TDLib answering as it would, until the chat has nothing left to do. */
final class Drive {
  private static final Duration SETTLE_LIMIT = Duration.ofSeconds(20);
  private static final Duration QUIET = Duration.ofMillis(50);

  private Drive() {}

  static boolean isHistory(ObjectNode request) {
    return request.path("@type").asText().equals("getChatHistory");
  }

  static boolean isHistoryFrom(ObjectNode request, long fromMessageId) {
    return isHistory(request) && request.path("from_message_id").asLong() == fromMessageId;
  }

  /** Answers requests as TDLib would until one matches; that one is returned unanswered. */
  static ObjectNode until(ChatScenario chat, Predicate<ObjectNode> wanted) {
    Instant deadline = Instant.now().plus(SETTLE_LIMIT);
    while (Instant.now().isBefore(deadline)) {
      ObjectNode request = chat.request();
      if (wanted.test(request)) {
        return request;
      }
      answer(chat, request);
    }
    throw new AssertionError("no such request within " + SETTLE_LIMIT);
  }

  /** Answers every request as TDLib would, until the chat runs no job and asks nothing more. */
  static void settle(ChatScenario chat) {
    Instant deadline = Instant.now().plus(SETTLE_LIMIT);
    while (Instant.now().isBefore(deadline)) {
      Optional<ObjectNode> request = chat.td.nextRequest(QUIET);
      if (request.isPresent()) {
        answer(chat, request.get());
        continue;
      }
      ChatProgress progress = chat.progress();
      boolean done = progress.historyComplete() || !progress.enabled() || !progress.active();
      if (progress.job() == null && done) {
        return;
      }
    }
    throw new AssertionError("the chat did not settle within " + SETTLE_LIMIT + ": " + chat.progress());
  }

  /** TDLib's answer from the model chat: full pages, estimates TDLib accepts, and refusals where it refuses. */
  static void answer(ChatScenario chat, ObjectNode request) {
    switch (request.path("@type").asText()) {
      case "getChatHistory" -> chat.answerHistory(request);
      case "getChatMessageCount" -> {
        if (request.path("filter").path("@type").asText("searchMessagesFilterEmpty")
            .equals("searchMessagesFilterEmpty")) {
          // MessagesManager::get_dialog_message_count
          chat.td.fail(request, 400, "Can't use searchMessagesFilterEmpty");
        } else {
          chat.td.answer(request, ScriptedTdJson.JSON.createObjectNode().put("@type", "count").put("count", 0));
        }
      }
      case "searchChatMessages" -> {
        ObjectNode found = ScriptedTdJson.JSON.createObjectNode().put("@type", "foundChatMessages")
            .put("total_count", chat.world.all().stream().filter(m -> !m.deleted()).count())
            .put("next_from_message_id", 0);
        found.putArray("messages");
        chat.td.answer(request, found);
      }
      default -> chat.td.answer(request, ScriptedTdJson.JSON.createObjectNode().put("@type", "ok"));
    }
  }

  /**
   * Waits until the chat actor is restarting after a failure: a message sent to it now is dropped (the rig was
   * started with no room to keep messages during a restart).
   */
  static void awaitRestartBackoff(ChatRig rig, ChatScenario chat) {
    AtomicBoolean dropped = new AtomicBoolean();
    ActorRef<Dropped> listener = rig.testKit.spawn(Behaviors.receive(Dropped.class)
        .onMessage(Dropped.class, message -> {
          dropped.set(true);
          return Behaviors.same();
        })
        .build());
    rig.testKit.system().eventStream().tell(new EventStream.Subscribe<>(Dropped.class, listener));
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
      chat.tell(new ChatSync.GetProgress(rig.testKit.<ChatProgress>createTestProbe().getRef()));
      return dropped.get();
    });
    rig.testKit.system().eventStream().tell(new EventStream.Unsubscribe<>(listener));
  }
}
