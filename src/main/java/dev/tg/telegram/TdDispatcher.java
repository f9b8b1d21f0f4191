package dev.tg.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one receiver thread over a {@link TdJson}: it matches answers to requests by {@code @extra} and hands
 * updates to the client they belong to by {@code @client_id}. Every mode (native, simulated) goes through it.
 */
public final class TdDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TdDispatcher.class);
  static final ObjectMapper JSON = new ObjectMapper();
  private static final double RECEIVE_TIMEOUT_SECONDS = 0.2;

  private final TdJson td;
  private final String name;
  private final RequestLog requestLog;
  private final Map<Integer, Consumer<ObjectNode>> updateHandlers = new ConcurrentHashMap<>();
  private final Map<Integer, String> accounts = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<ObjectNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextExtra = new AtomicLong(1);
  private final Thread receiver;
  private volatile boolean running = true;

  public TdDispatcher(TdJson td, String name) {
    this(td, name, null);
  }

  /** With {@code requestLog} (may be null) writing every request and what comes back. */
  public TdDispatcher(TdJson td, String name, RequestLog requestLog) {
    this.td = td;
    this.name = name;
    this.requestLog = requestLog;
    this.receiver = new Thread(this::receiveLoop, "td-receiver-" + name);
    receiver.setDaemon(true);
    receiver.start();
  }

  /** A new TDLib client whose updates go to {@code updates}, called on the receiver thread. */
  public TdClient createClient(Consumer<ObjectNode> updates) {
    return createClient(name, updates);
  }

  /** A client of {@code account}, as the request log names it. */
  public TdClient createClient(String account, Consumer<ObjectNode> updates) {
    int clientId = td.createClientId();
    accounts.put(clientId, account);
    TdClient client = new TdClient(this, clientId);
    updateHandlers.put(clientId, update -> {
      if (update.path("authorization_state").path("@type").asText().equals("authorizationStateClosed")) {
        client.reportClosed();
      }
      updates.accept(update);
    });
    return client;
  }

  /** Runs a synchronous TDLib method. */
  public ObjectNode execute(ObjectNode request) {
    return parse(td.execute(request.toString()));
  }

  CompletableFuture<ObjectNode> send(int clientId, ObjectNode request) {
    long extra = nextExtra.getAndIncrement();
    CompletableFuture<ObjectNode> answer = new CompletableFuture<>();
    pending.put(extra, answer);
    // a late answer after our own timeout finds nothing here and is dropped
    answer.whenComplete((ok, failure) -> pending.remove(extra));
    ObjectNode sent = request.deepCopy().put("@extra", extra);
    if (requestLog != null) {
      requestLog.request(accounts.getOrDefault(clientId, name), sent);
    }
    td.send(clientId, sent.toString());
    return answer;
  }

  void forget(int clientId) {
    updateHandlers.remove(clientId);
    accounts.remove(clientId);
  }

  private void receiveLoop() {
    while (running) {
      String received = td.receive(RECEIVE_TIMEOUT_SECONDS);
      if (received != null) {
        try {
          route(parse(received));
        } catch (RuntimeException e) {
          log.error("[{}] dropped a TDLib object it could not route", receiver.getName(), e);
        }
      }
    }
  }

  private void route(ObjectNode object) {
    JsonNode extra = object.get("@extra");
    if (requestLog != null) {
      String account = accounts.getOrDefault(object.path("@client_id").asInt(), name);
      if (extra != null) {
        requestLog.answer(account, object);
      } else {
        requestLog.update(account, object);
      }
    }
    if (extra != null) {
      CompletableFuture<ObjectNode> answer = pending.get(extra.asLong());
      if (answer == null) {
        log.debug("late answer [{}] to request [{}] dropped", object.path("@type").asText(), extra);
      } else if ("error".equals(object.path("@type").asText())) {
        answer.completeExceptionally(TdException.of(object.path("code").asInt(), object.path("message").asText()));
      } else {
        answer.complete(object);
      }
      return;
    }
    Consumer<ObjectNode> handler = updateHandlers.get(object.path("@client_id").asInt());
    if (handler != null) {
      handler.accept(object);
    }
  }

  static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the receiver thread once its current receive returns; the request log is its owner's to close. */
  @Override
  public void close() {
    running = false;
    try {
      receiver.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
