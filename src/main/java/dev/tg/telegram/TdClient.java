package dev.tg.telegram;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One TDLib client instance: requests answered as {@link CompletionStage}s, failures as {@link TdException}s. */
public final class TdClient {
  private final TdDispatcher dispatcher;
  private final int clientId;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  TdClient(TdDispatcher dispatcher, int clientId) {
    this.dispatcher = dispatcher;
    this.clientId = clientId;
  }

  public int clientId() {
    return clientId;
  }

  /** A request object of the given {@code @type}, to fill in and {@link #send}. */
  public static ObjectNode request(String type) {
    return TdDispatcher.JSON.createObjectNode().put("@type", type);
  }

  /** Sends without a deadline, as TDLib itself waits for the network; for login and closing. */
  public CompletionStage<ObjectNode> send(ObjectNode request) {
    return dispatcher.send(clientId, request);
  }

  /** Sends with our own deadline; on expiry the stage fails with {@link TdException.Timeout}. */
  public CompletionStage<ObjectNode> send(ObjectNode request, Duration timeout) {
    String method = request.path("@type").asText();
    return dispatcher
        .send(clientId, request)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            failure -> CompletableFuture.failedFuture(
                failure instanceof TimeoutException
                    ? new TdException.Timeout(method, timeout)
                    : failure));
  }

  /** Asks TDLib to close this client; updates stop once it reports {@code authorizationStateClosed}. */
  public CompletionStage<ObjectNode> close() {
    return send(request("close"));
  }

  /** Completes once TDLib reports {@code authorizationStateClosed} for this client. */
  public CompletionStage<Void> whenClosed() {
    return closed;
  }

  void reportClosed() {
    closed.complete(null);
  }

  /** Stops routing this client's updates; call after {@code authorizationStateClosed}. */
  public void forget() {
    dispatcher.forget(clientId);
  }
}
