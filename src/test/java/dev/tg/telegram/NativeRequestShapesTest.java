package dev.tg.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real libtdjson parses the requests the schema check passes, and refuses a malformed one at td_send. */
class NativeRequestShapesTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir static Path logDir;

  private static NativeTdJson tdjson;

  @BeforeAll
  static void loadLibrary() {
    tdjson = NativeTdJson.load(TdlibLibrary.locate(TdlibInstall.dir()));
    tdjson.redirectLogToFile(logDir.resolve("tdlib.log"), 10_000_000);
  }

  @Test
  void wellFormedRequestsAreParsedAndMalformedOnesAreNot(@TempDir Path sessionDir) {
    List<ObjectNode> wellFormed = TdlibSchemaTest.wellFormedRequests(sessionDir);
    List<ObjectNode> malformed = List.of(
        TdClient.request("getChatHistoryy").put("chat_id", 1),
        TdClient.request("loadChats").put("chat_list", "chatListMain").put("limit", 1),
        wellFormed.get(2).deepCopy().put("database_encryption_key", "AQIDBA"),
        // int32 in td_api.tl; the schema file says number, so only TDLib itself refuses a fraction
        TdClient.request("getChatHistory").put("chat_id", 1).put("limit", 1.5));
    // TDLib's parser is lenient where our check is not: it takes an int32 from a string, ignores unknown fields
    List<ObjectNode> lenient = List.of(
        TdClient.request("getChatHistory").put("chat_id", 1).put("limit", "100"),
        TdClient.request("getChatHistory").put("chat_id", 1).put("limitt", 100));
    List<ObjectNode> requests = new ArrayList<>(wellFormed);
    requests.addAll(malformed);
    requests.addAll(lenient);

    List<JsonNode> answers = NativeRequestShapes.answers(tdjson, requests, PATIENCE);

    for (int i = 0; i < requests.size(); i++) {
      System.out.println(requests.get(i) + " -> " + answers.get(i));
    }
    int firstMalformed = wellFormed.size();
    int firstLenient = firstMalformed + malformed.size();
    assertThat(answers.subList(0, firstMalformed)).allSatisfy(answer ->
        assertThat(NativeRequestShapes.isParseFailure(answer)).as(answer.toString()).isFalse());
    assertThat(answers.get(0).path("message").asText())
        .isEqualTo("Initialization parameters are needed: call setTdlibParameters first");
    assertThat(answers.get(3).path("value").asText()).isEqualTo(TdlibLibrary.TDLIB_VERSION);
    assertThat(answers.subList(firstMalformed, firstLenient)).allSatisfy(answer ->
        assertThat(NativeRequestShapes.isParseFailure(answer)).as(answer.toString()).isTrue());
    assertThat(answers.subList(firstLenient, requests.size())).allSatisfy(answer ->
        assertThat(NativeRequestShapes.isParseFailure(answer)).as(answer.toString()).isFalse());
  }
}
