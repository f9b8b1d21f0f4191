package dev.tg.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Asks the real libtdjson whether it can parse requests, by sending them to a fresh client that never gets
 * {@code setTdlibParameters}, and returns TDLib's answer to each.
 *
 * <p>TDLib parses a request into a {@code td_api} object when it is sent: {@code json_send} in
 * {@code td/telegram/ClientJson.cpp} calls {@code to_request}, which decodes the JSON and runs {@code from_json}; a
 * request that does not parse is replaced by {@code testReturnError} with error 400 "Failed to parse JSON object as
 * TDLib request: ...". {@code Td::request} in {@code td/telegram/Td.cpp} answers that at once in any state, as a
 * synchronous request. A request that parsed goes on to {@code Td::run_request}, which without parameters answers
 * 400 "Initialization parameters are needed: call setTdlibParameters first", keeps preauthentication requests
 * (such as {@code getOption} of most options) until {@code close} aborts them, or runs it, as for synchronous ones.
 *
 * <p>The two requests that act on such a client, {@code setTdlibParameters} and {@code close}, go to
 * {@code td_execute} instead, which parses with the same {@code to_request} and answers "The method can't be
 * executed synchronously". The synchronous log settings are refused: TDLib would apply them to the whole process.
 */
public final class NativeRequestShapes {
  /** How TDLib's answer to a request it could not parse begins. */
  public static final String PARSE_FAILURE = "Failed to parse JSON object as TDLib request";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> EXECUTED = Set.of("setTdlibParameters", "close");
  private static final Set<String> PROCESS_WIDE = Set.of(
      "setLogStream", "setLogVerbosityLevel", "setLogTagVerbosityLevel");

  private NativeRequestShapes() {}

  /** TDLib's answers, in the order of the requests; the client is closed before this returns. */
  public static List<JsonNode> answers(NativeTdJson tdjson, List<? extends JsonNode> requests, Duration patience) {
    Map<Integer, JsonNode> answers = new HashMap<>();
    int clientId = tdjson.createClientId();
    for (int i = 0; i < requests.size(); i++) {
      if (!(requests.get(i) instanceof ObjectNode object)) {
        throw new IllegalArgumentException("a request is a JSON object: " + requests.get(i));
      }
      String type = object.path("@type").asText();
      if (PROCESS_WIDE.contains(type)) {
        throw new IllegalArgumentException(type + " would change TDLib's log for the whole process");
      }
      String request = object.deepCopy().put("@extra", i).toString();
      if (EXECUTED.contains(type)) {
        answers.put(i, read(tdjson.execute(request)));
      } else {
        tdjson.send(clientId, request);
      }
    }
    tdjson.send(clientId, "{\"@type\":\"close\"}");
    long deadline = System.nanoTime() + patience.toNanos();
    boolean closed = false;
    while (!(closed && answers.size() == requests.size())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("TDLib answered " + answers.size() + " of " + requests.size()
            + " requests within " + patience + (closed ? "" : " and did not close the client"));
      }
      String received = tdjson.receive(0.5);
      JsonNode object = received == null ? null : read(received);
      if (object == null || object.path("@client_id").asInt() != clientId) {
        continue;
      }
      if (object.has("@extra")) {
        answers.put(object.get("@extra").asInt(), object);
      } else if (object.path("@type").asText().equals("updateAuthorizationState")) {
        closed |= object.path("authorization_state").path("@type").asText().equals("authorizationStateClosed");
      }
    }
    return IntStream.range(0, requests.size()).mapToObj(answers::get).toList();
  }

  /** Whether the answer says TDLib could not parse the request. */
  public static boolean isParseFailure(JsonNode answer) {
    return answer.path("@type").asText().equals("error") && answer.path("message").asText().startsWith(PARSE_FAILURE);
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable JSON from TDLib: " + json, e);
    }
  }
}
