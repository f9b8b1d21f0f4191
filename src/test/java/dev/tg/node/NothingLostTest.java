package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import dev.tg.telegram.NativeRequestShapes;
import dev.tg.telegram.NativeTdJson;
import dev.tg.telegram.TdlibInstall;
import dev.tg.telegram.TdlibLibrary;
import dev.tg.telegram.TdlibSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo world's DMs and small groups, fully synced: every message of the world archived exactly once, with the
 * simulator refusing {@code searchMessagesFilterEmpty} counts as TDLib does; and every request of the run, read back
 * from the request log, is one TDLib's schema knows and its library parses.
 */
class NothingLostTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;

  @TempDir
  Path logDir;

  @Test
  void everyMessageOfTheDemoWorldsDmsAndSmallGroupsIsArchivedExactlyOnce() throws IOException {
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.demo(7).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
    Map<String, Object> settings = TestNode.fast();
    Path requestLog = logDir.resolve("requests.jsonl");
    settings.put("tg.telegram.request-log", requestLog.toString());
    try (TestNode node = TestNode.start(dataDir, world, settings)) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
        var high = node.status().path("chats").path("by_priority").path("P1");
        return high.path("total").asInt() > 0 && high.path("complete").asInt() == high.path("total").asInt();
      });
      List<Long> fullySynced = GroundTruth.chatsWhere(node, "sync_priority = 1");
      long expectedChats = world.chats().stream()
          .filter(chat -> switch (chat.kind()) {
            case PRIVATE -> true;
            case BASIC_GROUP, SUPERGROUP -> chat.memberCount() < 20;
            default -> false;
          })
          .count();
      assertThat(fullySynced).hasSize((int) expectedChats);
      assertThat(GroundTruth.problems(node, fullySynced, true)).isEmpty();
      long archived = node.query("SELECT count(*) AS n FROM messages WHERE chat_id IN (SELECT chat_id FROM "
          + "chat_sync_state WHERE sync_priority = 1)").get(0).values().stream()
          .mapToLong(n -> ((Number) n).longValue()).sum();
      long truth = fullySynced.stream().mapToLong(id -> world.groundTruth(id).size()).sum();
      assertThat(archived).isEqualTo(truth).isGreaterThan(1000);

      node.stop();
      assertThat(world.requestLog()).as("the TDLib client is closed when the node stops")
          .anyMatch(request -> request.type().equals("close"));
      requestsConform(requestLog);
    }
  }

  private void requestsConform(Path requestLog) throws IOException {
    List<JsonNode> requests;
    try (Stream<String> lines = Files.lines(requestLog)) {
      requests = lines.map(NothingLostTest::read).filter(line -> line.has("request"))
          .map(line -> line.get("request")).toList();
    }
    assertThat(requests).hasSizeGreaterThan(100);
    // the log has "***" for secrets, which the schema check would call bad base64: those were checked as sent
    List<JsonNode> unredacted = requests.stream().filter(request -> !request.toString().contains("\"***\""))
        .toList();
    TdlibSchema schema = SimulatedTdlib.schema();
    assertThat(unredacted.stream().flatMap(request -> schema.checkRequest(request).stream()).distinct())
        .as("requests of the log the schema refuses").isEmpty();

    // one request of each shape to the real library
    Map<String, JsonNode> shapes = new LinkedHashMap<>();
    unredacted.forEach(request -> shapes.putIfAbsent(TdlibSchema.shapeOf(request), request));
    NativeTdJson tdjson = NativeTdJson.load(TdlibLibrary.locate(TdlibInstall.dir()));
    tdjson.redirectLogToFile(logDir.resolve("tdlib.log"), 10_000_000);
    List<JsonNode> answers = NativeRequestShapes.answers(tdjson, List.copyOf(shapes.values()), Duration.ofSeconds(30));
    assertThat(answers).hasSize(shapes.size()).noneMatch(NativeRequestShapes::isParseFailure);
  }

  private static JsonNode read(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
