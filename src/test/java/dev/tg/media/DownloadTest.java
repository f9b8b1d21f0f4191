package dev.tg.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.archive.Archive;
import dev.tg.archive.ArchiveStore;
import dev.tg.chat.ScriptedTdJson;
import dev.tg.scheduler.GrantingScheduler;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.scheduler.Scheduler;
import dev.tg.telegram.TdClient;
import dev.tg.telegram.TdDispatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One file's way from TDLib into the store, with the test as TDLib. */
class DownloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long CHAT = 7;
  private static final long MESSAGE = 5L << 20;

  @TempDir
  Path dir;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /**
   * A row can hold an earlier TDLib instance's file id although its message was archived in this run (a change kept
   * across a restart brought the content): that id names another file now. The file is looked up locally first, and
   * the message read again when it is another, so that TDLib never downloads a file nobody asked for (whose copy
   * the node would leave in TDLib's directory).
   */
  @Test
  void anIdThatNamesAnotherFileInThisRunIsNeverDownloaded() throws Exception {
    ScriptedTdJson td = new ScriptedTdJson();
    byte[] bytes = "the photo's bytes".getBytes();
    Path tdlibCopy = Files.write(dir.resolve("tdlib-copy"), bytes);
    try (TdDispatcher dispatcher = new TdDispatcher(td, "demo");
        Archive archive = new Archive(ArchiveStore.open(dir.resolve("archive.db")),
            Executors.newSingleThreadExecutor())) {
      Download download = new Download("demo", telegram(dispatcher), archive, new MediaStore(dir.resolve("media")),
          Executors.newSingleThreadExecutor());
      // archived in this run (row 10, after the run's start at 5), first try: the id would be trusted as this run's
      MediaTable.Pending stale = new MediaTable.Pending(CHAT, MESSAGE, "photo", 1, "AQADright", 12, 10, bytes.length,
          0);
      CompletableFuture<Download.Outcome> finished = download.run(stale, 3, 5).finished().toCompletableFuture();

      List<String> sent = new ArrayList<>();
      while (!finished.isDone()) {
        ObjectNode request = td.nextRequest(Duration.ofMillis(100)).orElse(null);
        if (request == null) {
          continue;
        }
        sent.add(request.path("@type").asText() + " " + request.path("file_id").asInt());
        switch (request.path("@type").asText()) {
          case "getFile" -> td.answer(request, file(request.path("file_id").asInt(),
              request.path("file_id").asInt() == 12 ? "AQADother" : "AQADright", "", bytes.length));
          case "getMessage" -> td.answer(request, photoMessage(31));
          case "downloadFile" -> td.answer(request, file(request.path("file_id").asInt(),
              request.path("file_id").asInt() == 31 ? "AQADright" : "AQADother", tdlibCopy.toString(), bytes.length));
          case "deleteFile" -> td.answer(request, JSON.createObjectNode().put("@type", "ok"));
          default -> td.fail(request, 400, "not scripted");
        }
      }
      Download.Outcome outcome = finished.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(outcome.stored()).as(outcome.error()).isNotNull();
      assertThat(Files.readAllBytes(dir.resolve("media").resolve(outcome.stored().path()))).isEqualTo(bytes);
      assertThat(sent).as("requests to TDLib").doesNotContain("downloadFile 12").contains("downloadFile 31");
    }
  }

  private ScheduledClient telegram(TdDispatcher dispatcher) {
    TdClient client = dispatcher.createClient(update -> { });
    ActorRef<Scheduler.Command> scheduler = GrantingScheduler.spawn(testKit);
    return new ScheduledClient(client, scheduler, testKit.system(), WAIT);
  }

  private static ObjectNode file(int id, String uniqueId, String path, int size) {
    ObjectNode file = JSON.createObjectNode().put("@type", "file").put("id", id).put("size", size)
        .put("expected_size", size);
    file.putObject("local").put("@type", "localFile").put("path", path)
        .put("is_downloading_completed", !path.isEmpty()).put("downloaded_size", path.isEmpty() ? 0 : size);
    file.putObject("remote").put("@type", "remoteFile").put("id", "remote-" + uniqueId).put("unique_id", uniqueId);
    return file;
  }

  private static ObjectNode photoMessage(int fileId) {
    ObjectNode message = JSON.createObjectNode().put("@type", "message").put("id", MESSAGE).put("chat_id", CHAT);
    ObjectNode content = message.putObject("content").put("@type", "messagePhoto");
    content.putObject("photo").put("@type", "photo").putArray("sizes").addObject().put("@type", "photoSize")
        .put("type", "x").set("photo", file(fileId, "AQADright", "", 17));
    return message;
  }
}
