package dev.tg.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The world's files through downloadFile, updateFile and deleteFile, as FileManager serves them. */
class FilesTest {
  @TempDir
  Path sessionDir;

  private TdHarness harness;
  private int client;

  @BeforeEach
  void start() {
    harness = TdHarness.quiet();
    client = harness.td.createClientId();
    harness.call(client, TdHarness.tdlibParameters(sessionDir.resolve("db").toString())
        .put("files_directory", sessionDir.resolve("files").toString()));
    harness.loadAll(client, "chatListMain");
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aSynchronousDownloadAnswersTheWholeFileWithTheWorldsBytesAfterItsPartsAtTheBandwidth() throws Exception {
    harness.telegram.limitDownloads(1 << 20);
    JsonNode file = largestFile(200_000, false);
    int size = file.path("size").asInt();
    long extra = harness.send(client, download(file.path("id").asInt(), true));
    harness.pump();
    assertThat(harness.answered(extra)).as("answered only when the download ends").isFalse();
    // one second moves 1 MiB: the file is not whole before size / bandwidth
    Duration whole = Duration.ofMillis(1000L * size / (1 << 20));
    harness.clock.advance(whole.minusMillis(50));
    await().until(() -> harness.updates("updateFile").stream().anyMatch(update ->
        update.path("file").path("local").path("downloaded_prefix_size").asInt() >= size - 150_000));
    assertThat(harness.answered(extra)).isFalse();
    harness.clock.advance(Duration.ofMillis(100));
    ObjectNode done = harness.await(extra);
    assertThat(done.path("local").path("is_downloading_completed").asBoolean()).isTrue();
    Path path = Path.of(done.path("local").path("path").asText());
    assertThat(path).startsWith(sessionDir.resolve("files").resolve("photos"));
    assertThat(Files.readAllBytes(path))
        .isEqualTo(WorldFiles.content(file.path("remote").path("unique_id").asText(), size));
    List<ObjectNode> progress = harness.updates("updateFile");
    assertThat(progress.size()).as("an update per 64 KiB part and the last one").isGreaterThanOrEqualTo(size / 65536);
    assertThat(progress.get(progress.size() - 1).path("file").path("local").path("path").asText())
        .isEqualTo(path.toString());

    assertThat(harness.call(client, TdHarness.request("deleteFile").put("file_id", file.path("id").asInt()))
        .path("@type").asText()).isEqualTo("ok");
    assertThat(path).doesNotExist();
  }

  @Test
  void aDownloadAnInstanceDidNotFinishGoesOnInTheNextFromItsReadyParts() throws Exception {
    harness.telegram.limitDownloads(1 << 20);
    JsonNode file = largestFile(400_000, false);
    String uniqueId = file.path("remote").path("unique_id").asText();
    int size = file.path("size").asInt();
    harness.send(client, download(file.path("id").asInt(), true));
    harness.pump();
    harness.clock.advance(Duration.ofMillis(500L * size / (1 << 20)));
    await().until(() -> harness.updates("updateFile").stream().anyMatch(update ->
        update.path("file").path("local").path("downloaded_prefix_size").asInt() >= size / 2 - 65536));
    // the process ends in the middle of the download
    harness.close();

    harness = TdHarness.quiet();
    client = harness.td.createClientId();
    harness.call(client, TdHarness.tdlibParameters(sessionDir.resolve("db").toString())
        .put("files_directory", sessionDir.resolve("files").toString()).put("use_file_database", true));
    harness.loadAll(client, "chatListMain");
    JsonNode again = filesOf(client).stream()
        .filter(shown -> shown.path("remote").path("unique_id").asText().equals(uniqueId)).findFirst().orElseThrow();
    long ready = again.path("local").path("downloaded_prefix_size").asLong();
    assertThat(ready).as("the ready parts are known").isGreaterThanOrEqualTo(size / 2 - 2 * 65536).isLessThan(size);
    assertThat(ready % 65536).as("whole parts").isZero();
    harness.telegram.limitDownloads(1 << 20);
    long extra = harness.send(client, download(again.path("id").asInt(), true));
    harness.pump();
    // the rest of the file takes the rest of the time, not the whole
    harness.clock.advance(Duration.ofMillis(1000L * (size - ready) / (1 << 20) + 100));
    ObjectNode done = harness.await(extra);
    assertThat(done.path("local").path("is_downloading_completed").asBoolean()).isTrue();
    assertThat(Files.readAllBytes(Path.of(done.path("local").path("path").asText())))
        .isEqualTo(WorldFiles.content(uniqueId, size));
    assertThat(sessionDir.resolve("files/temp").resolve(uniqueId + ".part")).doesNotExist();
  }

  @Test
  void fileIdsAreTheInstancesOwnAndTheUniqueIdIsTheFilesEverywhere() {
    Map<String, Integer> first = fileIds(client);
    int other = harness.td.createClientId();
    harness.call(other, TdHarness.tdlibParameters(""));
    harness.loadAll(other, "chatListMain");
    Map<String, Integer> second = new HashMap<>();
    List<SimChat> reversed = new ArrayList<>(harness.telegram.chats());
    Collections.reverse(reversed);
    for (SimChat chat : reversed) {
      if (chat.list() == SimChat.ChatList.MAIN) {
        // the other instance sees the chats' files in another order
        second.putAll(idsIn(wholeHistory(other, chat.id())));
      }
    }
    assertThat(first).isNotEmpty();
    assertThat(second.keySet()).containsAll(first.keySet());
    assertThat(first.values()).doesNotHaveDuplicates();
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void aGoneFileFailsAsEveryFailedDownloadDoesAndAnUnknownIdIsNotFound() {
    JsonNode gone = filesOf(client).stream()
        .filter(file -> WorldFiles.isGone(file.path("remote").path("unique_id").asText()))
        .findFirst().orElseThrow();
    long extra = harness.send(client, download(gone.path("id").asInt(), true));
    harness.clock.advance(Duration.ofSeconds(1));
    ObjectNode failed = harness.await(extra);
    assertThat(failed.path("code").asInt()).isEqualTo(400);
    assertThat(failed.path("message").asText()).isEqualTo(ClientFiles.FAILED);
    assertThat(harness.call(client, download(999_999, true)).path("message").asText()).isEqualTo("File not found");
    // getFile is offline: the instance's own file, or Td::send_result's 404 for an id it never gave
    assertThat(harness.call(client, TdHarness.request("getFile").put("file_id", gone.path("id").asInt()))
        .path("remote").path("unique_id")).isEqualTo(gone.path("remote").path("unique_id"));
    ObjectNode unknown = harness.call(client, TdHarness.request("getFile").put("file_id", 999_999));
    assertThat(unknown.path("code").asInt() + " " + unknown.path("message").asText()).isEqualTo("404 Not Found");
    assertThat(harness.call(client, download(gone.path("id").asInt(), true).put("priority", 0))
        .path("message").asText()).isEqualTo("Priority must be between 1 and 32");
  }

  @Test
  void anAsynchronousDownloadAnswersAtOnceAndACancelFailsNothingButStopsIt() {
    JsonNode file = largestFile(100_000, false);
    ObjectNode started = harness.call(client, download(file.path("id").asInt(), false));
    assertThat(started.path("local").path("is_downloading_active").asBoolean()).isTrue();
    assertThat(harness.call(client, TdHarness.request("cancelDownloadFile").put("file_id", file.path("id").asInt())
        .put("only_if_pending", false)).path("@type").asText()).isEqualTo("ok");
    List<ObjectNode> updates = harness.updates("updateFile");
    assertThat(updates.get(updates.size() - 1).path("file").path("local").path("is_downloading_active").asBoolean())
        .isFalse();
  }

  @Test
  void getMessageOfAShownMessageNeedsNoServer() {
    SimChat chat = harness.chatOf(ChatKind.PRIVATE);
    List<JsonNode> shown = wholeHistory(client, chat.id());
    long unshown = harness.telegram.groundTruth(harness.chatOf(ChatKind.CHANNEL).id()).firstKey();
    harness.telegram.setFaults(new FaultProfile(0, 1.0, 1));
    ObjectNode again = harness.call(client, TdHarness.request("getMessage").put("chat_id", chat.id())
        .put("message_id", shown.get(shown.size() - 1).path("id").asLong()));
    assertThat(again.path("@type").asText()).isEqualTo("message");
    ObjectNode fromServer = harness.call(client, TdHarness.request("getMessage")
        .put("chat_id", harness.chatOf(ChatKind.CHANNEL).id()).put("message_id", unshown));
    assertThat(fromServer.path("code").asInt()).as("the server was asked").isEqualTo(500);
  }

  private static ObjectNode download(int fileId, boolean synchronous) {
    return TdHarness.request("downloadFile").put("file_id", fileId).put("priority", 1).put("offset", 0)
        .put("limit", 0).put("synchronous", synchronous);
  }

  private JsonNode largestFile(int atLeast, boolean gone) {
    // a photo of at least that size, neither gone nor too large for the test
    return filesOf(client).stream()
        .filter(file -> file.path("size").asInt() >= atLeast && file.path("size").asInt() < 2_000_000)
        .filter(file -> WorldFiles.isGone(file.path("remote").path("unique_id").asText()) == gone)
        .filter(file -> WorldFiles.directory((ObjectNode) file.path("remote")).equals("photos"))
        .findFirst().orElseThrow();
  }

  private List<JsonNode> filesOf(int instance) {
    List<JsonNode> files = new ArrayList<>();
    for (SimChat chat : harness.telegram.chats()) {
      if (chat.list() == SimChat.ChatList.MAIN) {
        wholeHistory(instance, chat.id()).forEach(message -> collect(message, files));
      }
    }
    return files;
  }

  private List<JsonNode> wholeHistory(int instance, long chatId) {
    List<JsonNode> messages = new ArrayList<>();
    long from = 0;
    while (true) {
      JsonNode page = harness.call(instance, TdHarness.history(chatId, from, 0, 100)).path("messages");
      if (page.isEmpty()) {
        return messages;
      }
      page.forEach(messages::add);
      from = page.get(page.size() - 1).path("id").asLong();
    }
  }

  private Map<String, Integer> fileIds(int instance) {
    Map<String, Integer> ids = new HashMap<>();
    filesOf(instance).forEach(file -> ids.put(file.path("remote").path("unique_id").asText(),
        file.path("id").asInt()));
    return ids;
  }

  private static Map<String, Integer> idsIn(List<JsonNode> messages) {
    List<JsonNode> files = new ArrayList<>();
    messages.forEach(message -> collect(message, files));
    Map<String, Integer> ids = new HashMap<>();
    files.forEach(file -> ids.put(file.path("remote").path("unique_id").asText(), file.path("id").asInt()));
    return ids;
  }

  private static void collect(JsonNode object, List<JsonNode> files) {
    if (object.path("@type").asText().equals("file")) {
      files.add(object);
      return;
    }
    object.forEach(child -> collect(child, files));
  }
}
