package dev.tg.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.telegram.TdJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * TDLib's four functions with the test as TDLib: every request waits in {@link #requests} until the test answers
 * it, in whatever order and shape the interleaving under test needs.
 */
public final class ScriptedTdJson implements TdJson {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int CLIENT_ID = 1;

  private final LinkedBlockingQueue<ObjectNode> requests = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<String> toReceive = new LinkedBlockingQueue<>();

  @Override
  public int createClientId() {
    return CLIENT_ID;
  }

  @Override
  public void send(int clientId, String request) {
    requests.add(parse(request));
  }

  @Override
  public String receive(double timeoutSeconds) {
    try {
      return toReceive.poll((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @Override
  public String execute(String request) {
    return "{\"@type\":\"error\",\"code\":400,\"message\":\"not scripted\"}";
  }

  /** The next request the node sent, waiting up to {@code timeout}. */
  public Optional<ObjectNode> nextRequest(Duration timeout) {
    try {
      return Optional.ofNullable(requests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** TDLib's answer to {@code request}: the same {@code @extra} comes back. */
  public void answer(ObjectNode request, ObjectNode answer) {
    ObjectNode copy = answer.deepCopy();
    copy.set("@extra", request.get("@extra"));
    copy.put("@client_id", CLIENT_ID);
    toReceive.add(copy.toString());
  }

  public void fail(ObjectNode request, int code, String message) {
    answer(request, JSON.createObjectNode().put("@type", "error").put("code", code).put("message", message));
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
