package dev.tg.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.telegram.TdClient;
import dev.tg.telegram.TdException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The account's TDLib client as every actor uses it: each request first waits for a token of the
 * {@link Scheduler}, and its outcome (answered, flood wait, failed) goes back to the scheduler.
 */
public final class ScheduledClient {
  // a low-priority request may wait behind hours of backfill for its token
  private static final Duration TOKEN_WAIT = Duration.ofDays(1);

  private final TdClient client;
  private final ActorRef<Scheduler.Command> scheduler;
  private final ActorSystem<?> system;
  private final Duration requestTimeout;

  public ScheduledClient(
      TdClient client, ActorRef<Scheduler.Command> scheduler, ActorSystem<?> system, Duration requestTimeout) {
    this.client = client;
    this.scheduler = scheduler;
    this.system = system;
    this.requestTimeout = requestTimeout;
  }

  /** Sends {@code request} for {@code chatId} (0 for account-wide requests) once the scheduler grants it. */
  public CompletionStage<ObjectNode> send(long chatId, Priority priority, ObjectNode request) {
    String method = request.path("@type").asText();
    CompletionStage<Scheduler.TokenGranted> token = AskPattern.ask(
        scheduler,
        replyTo -> new Scheduler.RequestToken(chatId, priority, method, replyTo),
        TOKEN_WAIT,
        system.scheduler());
    return token.thenCompose(granted -> {
      long sentAt = System.nanoTime();
      return client
          .send(request, requestTimeout)
          .whenComplete((answer, failure) -> scheduler.tell(new Scheduler.ReleaseToken(granted.grantId(), method,
              outcomeOf(failure), Duration.ofNanos(System.nanoTime() - sentAt), floodWaitOf(failure))));
    });
  }

  /**
   * Sends a request TDLib answers from its own cache (getUser, getBasicGroup, getSupergroup, openChat): it
   * costs Telegram nothing, so it takes no token.
   */
  public CompletionStage<ObjectNode> sendLocal(ObjectNode request) {
    return client.send(request, requestTimeout);
  }

  /** {@code ok}, or what went wrong, as the metrics label it. */
  static String outcomeOf(Throwable failure) {
    if (failure == null) {
      return "ok";
    }
    Throwable cause = TdException.unwrap(failure);
    return cause instanceof TdException.FloodWait ? "flood_wait"
        : cause instanceof TdException.Timeout ? "timeout"
        : cause instanceof TdException.NotFound ? "not_found"
        : cause instanceof TdException.NoAccess ? "no_access"
        : cause instanceof TdException.ServerError ? "server_error"
        : cause instanceof TdException ? "error"
        : "failed";
  }

  private static Duration floodWaitOf(Throwable failure) {
    Throwable cause = TdException.unwrap(failure);
    return cause instanceof TdException.FloodWait flood ? flood.retryAfter() : Duration.ZERO;
  }
}
