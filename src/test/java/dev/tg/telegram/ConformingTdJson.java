package dev.tg.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TdJson} that checks what crosses it against {@link TdlibSchema} and passes everything through
 * unchanged: every request given to {@link #send} and {@link #execute}, every object {@link #receive} and
 * {@link #execute} return, and whether an answer (matched to its request by client and {@code @extra}) is of the
 * type the function returns. Violations are collected, the same one once ({@link TdlibSchema.Violation#key}), at
 * most {@value #MAX_VIOLATIONS}. {@link #send} may be called from many threads, {@link #receive} from one.
 */
public final class ConformingTdJson implements TdJson {
  public static final int MAX_VIOLATIONS = 50;

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Awaited(int clientId, JsonNode extra) {}

  private final TdJson delegate;
  private final TdlibSchema schema;
  private final Map<String, String> violations = new LinkedHashMap<>();
  private final Map<String, JsonNode> requestShapes = new LinkedHashMap<>();
  private final Map<Awaited, String> awaitedAnswers = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong objects = new AtomicLong();

  public ConformingTdJson(TdJson delegate, TdlibSchema schema) {
    this.delegate = delegate;
    this.schema = schema;
  }

  @Override
  public int createClientId() {
    return delegate.createClientId();
  }

  @Override
  public void send(int clientId, String request) {
    JsonNode parsed = checkRequest(request);
    // before sending: the answer may be received before send returns
    if (parsed != null && parsed.has("@extra") && parsed.path("@type").isTextual()) {
      awaitedAnswers.put(new Awaited(clientId, parsed.get("@extra")), parsed.get("@type").asText());
    }
    delegate.send(clientId, request);
  }

  @Override
  public String receive(double timeoutSeconds) {
    String received = delegate.receive(timeoutSeconds);
    if (received != null) {
      objects.incrementAndGet();
      JsonNode object = parse(received, "received");
      if (object != null) {
        String function = object.has("@extra")
            ? awaitedAnswers.remove(new Awaited(object.path("@client_id").asInt(), object.get("@extra")))
            : null;
        record(function == null ? schema.checkObject(object) : schema.checkAnswer(function, object));
      }
    }
    return received;
  }

  @Override
  public String execute(String request) {
    JsonNode parsed = checkRequest(request);
    String answer = delegate.execute(request);
    objects.incrementAndGet();
    JsonNode object = answer == null ? null : parse(answer, "executed");
    if (object != null) {
      record(parsed != null && parsed.path("@type").isTextual()
          ? schema.checkAnswer(parsed.get("@type").asText(), object)
          : schema.checkObject(object));
    }
    return answer;
  }

  /** The distinct violations seen so far, in the order first seen. */
  public List<String> violations() {
    synchronized (violations) {
      return List.copyOf(violations.values());
    }
  }

  public long requestsChecked() {
    return requests.get();
  }

  public long objectsChecked() {
    return objects.get();
  }

  /** One request of each {@link TdlibSchema#shapeOf shape} sent or executed so far, without its {@code @extra}. */
  public List<JsonNode> distinctRequestShapes() {
    synchronized (requestShapes) {
      return List.copyOf(requestShapes.values());
    }
  }

  private JsonNode checkRequest(String request) {
    requests.incrementAndGet();
    JsonNode parsed = parse(request, "request");
    if (parsed != null) {
      record(schema.checkRequest(parsed));
      synchronized (requestShapes) {
        requestShapes.computeIfAbsent(TdlibSchema.shapeOf(parsed), shape -> {
          JsonNode example = parsed.deepCopy();
          if (example instanceof ObjectNode object) {
            object.remove("@extra");
          }
          return example;
        });
      }
    }
    return parsed;
  }

  private JsonNode parse(String json, String what) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      record(List.of(new TdlibSchema.Violation(what, "not JSON: " + e.getOriginalMessage())));
      return null;
    }
  }

  private void record(List<TdlibSchema.Violation> found) {
    if (found.isEmpty()) {
      return;
    }
    synchronized (violations) {
      for (TdlibSchema.Violation violation : found) {
        if (violations.size() < MAX_VIOLATIONS) {
          violations.putIfAbsent(violation.key(), violation.toString());
        }
      }
    }
  }
}
