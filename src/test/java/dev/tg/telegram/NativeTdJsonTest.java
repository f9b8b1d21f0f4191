package dev.tg.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real libtdjson, installed by the build into {@code target/tdlib}, up to the login prompt. */
class NativeTdJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_WAIT = Duration.ofSeconds(30);

  @TempDir static Path logDir;

  private static NativeTdJson tdjson;

  @BeforeAll
  static void loadLibrary() {
    tdjson = NativeTdJson.load(TdlibLibrary.locate(TdlibInstall.dir()));
    tdjson.redirectLogToFile(logDir.resolve("tdlib.log"), 10_000_000);
  }

  @Test
  void executeAnswersTheVersion() {
    String answer = tdjson.execute("{\"@type\":\"getOption\",\"name\":\"version\"}");

    assertThat(read(answer).path("@type").asText()).isEqualTo("optionValueString");
    assertThat(read(answer).path("value").asText()).isEqualTo(TdlibLibrary.TDLIB_VERSION);
    assertThat(tdjson.version()).isEqualTo("1.8.65");
  }

  @Test
  void textCrossesTheBoundaryAsUtf8() {
    ObjectNode request = JSON.createObjectNode().put("@type", "parseTextEntities").put("text", "*Привет* 🙂 ñ");
    request.putObject("parse_mode").put("@type", "textParseModeMarkdown").put("version", 2);

    JsonNode answer = read(tdjson.execute(request.toString()));

    assertThat(answer.path("@type").asText()).isEqualTo("formattedText");
    assertThat(answer.path("text").asText()).isEqualTo("Привет 🙂 ñ");
    assertThat(answer.path("entities").get(0).path("length").asInt()).isEqualTo(6);
  }

  @Test
  void aFreshClientReachesThePhoneNumberPromptAndCloses(@TempDir Path dataDir) {
    int clientId = tdjson.createClientId();
    // a new instance stays silent until its first request
    tdjson.send(clientId, "{\"@type\":\"getOption\",\"name\":\"version\",\"@extra\":\"wake\"}");
    var receiver = new Receiver(clientId);

    receiver.awaitAuthorizationState("authorizationStateWaitTdlibParameters");
    tdjson.send(clientId, tdlibParameters(dataDir).toString());
    receiver.awaitAuthorizationState("authorizationStateWaitPhoneNumber");
    tdjson.send(clientId, "{\"@type\":\"close\",\"@extra\":\"close\"}");
    receiver.awaitAuthorizationState("authorizationStateClosing");
    receiver.awaitAuthorizationState("authorizationStateClosed");

    assertThat(receiver.answers).anySatisfy(answer -> {
      assertThat(answer.path("@extra").asText()).isEqualTo("wake");
      assertThat(answer.path("value").asText()).isEqualTo("1.8.65");
    });
    assertThat(receiver.answers)
        .filteredOn(answer -> answer.path("@extra").asText().equals("setTdlibParameters"))
        .extracting(answer -> answer.path("@type").asText())
        .containsOnly("ok");
    assertThat(Files.exists(dataDir.resolve("db"))).isTrue();
  }

  @Test
  void aMissingLibraryNamesTheInstallCommand(@TempDir Path tempDir) {
    Path nowhere = tempDir.resolve("nowhere");

    assertThatThrownBy(() -> TdlibLibrary.locate(nowhere))
        .isInstanceOf(TdlibLibrary.TdlibMissingException.class)
        .hasMessageContaining("scripts/install-tdlib " + nowhere.toAbsolutePath());
  }

  @Test
  void withoutAnExplicitPathItSearchesTheDefaultPlaces(@TempDir Path tempDir) {
    Path defaultDir = tempDir.resolve("share/tg/tdlib");
    Path buildDir = tempDir.resolve("target/tdlib");

    assertThatThrownBy(() -> TdlibLibrary.locate(null, null, " ", defaultDir, buildDir))
        .isInstanceOf(TdlibLibrary.TdlibMissingException.class)
        .hasMessageContaining(defaultDir.toString())
        .hasMessageContaining(buildDir.toString())
        .hasMessageContaining("scripts/install-tdlib " + defaultDir);
  }

  @Test
  void theSystemPropertyOrEnvironmentNamesTheLibraryFile() {
    Path library = tdjson.library();

    assertThat(TdlibLibrary.locate(null, library.toString(), null, Path.of("/nonexistent"), Path.of("/nonexistent")))
        .isEqualTo(library);
    assertThat(TdlibLibrary.locate(null, null, library.toString(), Path.of("/nonexistent"), Path.of("/nonexistent")))
        .isEqualTo(library);
  }

  private static ObjectNode tdlibParameters(Path dataDir) {
    return JSON.createObjectNode()
        .put("@type", "setTdlibParameters")
        .put("@extra", "setTdlibParameters")
        .put("use_test_dc", true)
        .put("database_directory", dataDir.resolve("db").toString())
        .put("files_directory", dataDir.resolve("files").toString())
        .put("database_encryption_key", "")
        .put("use_file_database", false)
        .put("use_chat_info_database", true)
        .put("use_message_database", true)
        .put("use_secret_chats", false)
        // TDLib's public example credentials; no network is reached before a phone number is given
        .put("api_id", 94575)
        .put("api_hash", "a3406de8d171bb422bb6ddf3bbd800e2")
        .put("system_language_code", "en")
        .put("device_model", "tg test")
        .put("system_version", "Linux")
        .put("application_version", "0.1.0");
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("unreadable JSON from TDLib: " + json, e);
    }
  }

  /** Receives for one client within a total deadline, so a hang fails the test instead of CI. */
  private static final class Receiver {
    private final int clientId;
    private final long deadline = System.nanoTime() + MAX_WAIT.toNanos();
    private final List<String> statesSeen = new ArrayList<>();
    final List<JsonNode> answers = new ArrayList<>();

    Receiver(int clientId) {
      this.clientId = clientId;
    }

    void awaitAuthorizationState(String state) {
      while (System.nanoTime() < deadline) {
        String received = tdjson.receive(0.5);
        if (received == null) {
          continue;
        }
        JsonNode object = read(received);
        if (object.path("@client_id").asInt() != clientId) {
          continue;
        }
        if (object.has("@extra")) {
          answers.add(object);
        } else if (object.path("@type").asText().equals("updateAuthorizationState")) {
          String seen = object.path("authorization_state").path("@type").asText();
          statesSeen.add(seen);
          if (seen.equals(state)) {
            return;
          }
        }
      }
      throw new AssertionError(
          "no " + state + " within " + MAX_WAIT + "; authorization states seen: " + statesSeen);
    }
  }
}
