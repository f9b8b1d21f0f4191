package dev.tg.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tg.cli.Cli;
import dev.tg.node.TestNode;
import dev.tg.simulator.SimMessage;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldFiles;
import dev.tg.simulator.WorldSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The world's files against the node's store: every file the policy selects is on disk once with the world's exact
 * bytes, however many messages hold it; the others are skipped with the policy's reason; TDLib keeps no copy.
 */
class MediaGroundTruthTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;

  @Test
  void everySelectedFileIsStoredOnceWithTheWorldsBytesAndTheOthersAreSkippedWithTheReason() throws Exception {
    SimulatedTelegram world = world();
    try (TestNode node = TestNode.start(dataDir, world, settings("64MB"))) {
      awaitAllDownloaded(node);
      verify(node, world);
      Map<String, Object> done = node.query("SELECT chat_id, path FROM media WHERE state = 'done' LIMIT 1").get(0);
      Path conf = Files.writeString(dataDir.resolve("tg.conf"), "tg.data-dir = \"" + dataDir + "\"\n");
      Cli.Result history = Cli.runPlain("history", String.valueOf(done.get("chat_id")), "-n", "1000", "--config",
          conf.toString());
      assertThat(history.out()).as("tg history shows where a file is")
          .contains("file: " + node.settings().mediaDir().resolve((String) done.get("path")));
      verifyExport(node, ((Number) done.get("chat_id")).longValue(), conf);
    }
  }

  /** {@code tg export --format tdesktop --media}: each file field names a copy of the stored bytes, or why not. */
  private void verifyExport(TestNode node, long chatId, Path conf) throws Exception {
    Path export = Files.createDirectories(dataDir.resolve("export"));
    Cli.Result result = Cli.runPlain("export", String.valueOf(chatId), "--format", "tdesktop", "--output",
        export.toString(), "--media", export.toString(), "--config", conf.toString());
    assertThat(result.exitCode()).as(result.toString()).isZero();
    Map<Long, Map<String, Object>> rows = new HashMap<>();
    node.query("SELECT message_id, state, sha256 FROM media WHERE chat_id = ? ORDER BY rowid", chatId)
        .forEach(row -> rows.put(((Number) row.get("message_id")).longValue() >> 20, row));
    int copied = 0;
    for (JsonNode message : JSON.readTree(export.resolve("result.json").toFile()).path("messages")) {
      JsonNode field = message.has("photo") ? message.path("photo") : message.path("file");
      Map<String, Object> row = rows.get(message.path("id").asLong());
      if (field.isMissingNode() || row == null) {
        continue;
      }
      if (row.get("state").equals("done")) {
        Path file = export.resolve(field.asText());
        assertThat(sha256(Files.readAllBytes(file))).as(field.asText()).isEqualTo(row.get("sha256"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        copied++;
      } else {
        assertThat(field.asText()).as("a file not stored").startsWith("(File ");
      }
    }
    assertThat(copied).as("files beside the export").isPositive();
    assertThat(result.err()).contains(copied + " files in " + export);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void downloadsStoppedByARestartResumeWithTheNewInstancesFileIds() throws Exception {
    SimulatedTelegram world = world();
    try (TestNode node = TestNode.start(dataDir, world, settings("1MB"))) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> node.status().path("media").path("done_files").asLong() >= 5);
      node.restart();
      awaitAllDownloaded(node);
      // the new instance numbers its files anew: the old run's ids would name other files
      assertThat(world.requestLog()).as("messages of the last run read again").anyMatch(request ->
          request.type().equals("getMessage"));
      verify(node, world);
    }
  }

  @Test
  void syncWithMediaFetchesEveryFileOfTheChatWhateverThePolicy() throws Exception {
    SimulatedTelegram world = world();
    try (TestNode node = TestNode.start(dataDir, world, settings("64MB"))) {
      awaitAllDownloaded(node);
      JsonNode chats = node.get("/chats");
      JsonNode chosen = null;
      for (JsonNode view : chats) {
        if (view.path("media").path("skipped_files").asLong()
            > (chosen == null ? 0 : chosen.path("media").path("skipped_files").asLong())) {
          chosen = view;
        }
      }
      assertThat(chosen).as("a chat with files the policy skips").isNotNull();
      long chatId = chosen.path("progress").path("chat_id").asLong();
      Cli cli = Cli.of(dataDir, dataDir, node.settings().httpPort(), Files.createDirectories(dataDir.resolve("conf")));
      Cli.Result sync = cli.run("sync", String.valueOf(chatId), "--media", "--wait", "--timeout", "120");
      assertThat(sync.exitCode()).as(sync.out() + sync.err()).isZero();
      assertThat(sync.out()).contains("every file of").contains("files stored");
      assertThat(node.query("SELECT count(*) AS n FROM media WHERE chat_id = ? AND state = 'skipped' "
          + "AND reason NOT LIKE 'message deleted%'", chatId).get(0).get("n")).isEqualTo(0);
      verify(node, world, Set.of(chatId));
      Cli.Result table = cli.run("chats");
      JsonNode files = node.get("/chats/" + chatId).path("media");
      long selected = files.path("stored_files").asLong() + files.path("failed_files").asLong();
      assertThat(table.out()).as("tg chats shows the chat's files").containsPattern(
          "(?m)^" + chatId + " .* " + files.path("stored_files").asLong() + "/" + selected + "$");
    }
  }

  /** DMs and small groups (P1) of a few hundred messages, so that some files are shared; a large group (P3) too. */
  private static SimulatedTelegram world() {
    WorldSpec spec = new WorldSpec(11, 4, 0, 2, 1, 1, 1, false, 5, new WorldSpec.HistoryLength(150, 1.5, 400),
        new WorldSpec.HistoryLength(50, 1.5, 200), 0, 0, 0);
    SimulatedTelegram world = new SimulatedTelegram(spec, Instant.now(), Clock.systemUTC());
    world.limitDownloads(64L << 20);
    return world;
  }

  private static Map<String, Object> settings(String bytesPerSecond) {
    Map<String, Object> settings = TestNode.fast();
    settings.put("tg.media.max-bytes-per-second", bytesPerSecond);
    settings.put("tg.media.scan-interval", "100ms");
    settings.put("tg.media.max-attempts", 2);
    return settings;
  }

  private static void awaitAllDownloaded(TestNode node) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
      JsonNode high = node.status().path("chats").path("by_priority").path("P1");
      JsonNode media = node.status().path("media");
      return high.path("total").asInt() > 0 && high.path("complete").asInt() == high.path("total").asInt()
          && media.path("done_files").asLong() > 0 && media.path("pending_files").asLong() == 0;
    });
  }

  private void verify(TestNode node, SimulatedTelegram world) throws Exception {
    verify(node, world, Set.of());
  }

  /** {@code everyFile}: the chats asked for with {@code tg sync --media}, whose every file is fetched. */
  private void verify(TestNode node, SimulatedTelegram world, Set<Long> everyFile) throws Exception {
    MediaPolicy policy = new MediaPolicy(node.settings().media());
    Map<String, Map<String, Object>> rows = new HashMap<>();
    for (Map<String, Object> row : node.query("SELECT * FROM media WHERE account = 'demo'")) {
      rows.put(row.get("chat_id") + "/" + row.get("message_id"), row);
    }
    List<String> problems = new ArrayList<>();
    Map<String, Integer> holders = new HashMap<>();
    Set<String> skipReasons = new HashSet<>();
    int gone = 0;
    for (Map<String, Object> chat : node.query("SELECT chat_id, sync_priority FROM chat_sync_state")) {
      long chatId = ((Number) chat.get("chat_id")).longValue();
      int tier = ((Number) chat.get("sync_priority")).intValue();
      Set<Long> archived = new HashSet<>();
      node.query("SELECT message_id FROM messages WHERE chat_id = ?", chatId)
          .forEach(row -> archived.add(((Number) row.get("message_id")).longValue()));
      for (SimMessage message : world.groundTruth(chatId).values()) {
        List<MediaContent.File> files = MediaContent.files(JSON.readTree(message.rawJson()).path("content"));
        if (files.isEmpty() || !archived.contains(message.id()) || message.deleted()) {
          continue;
        }
        Map<String, Object> row = rows.get(chatId + "/" + message.id());
        MediaPolicy.Decision decision = everyFile.contains(chatId) ? MediaPolicy.everything(files)
            : policy.decide(tier, files);
        String uniqueId = decision.file().uniqueId();
        if (row == null) {
          problems.add(message.id() + ": no media row");
        } else if (!decision.fetch()) {
          skipReasons.add(decision.skipReason());
          check(problems, message.id() + " skipped", row.get("state") + " " + row.get("reason"),
              "skipped " + decision.skipReason());
        } else if (WorldFiles.isGone(uniqueId)) {
          gone++;
          check(problems, message.id() + " gone", row.get("state") + " " + row.get("reason"),
              "failed 400 File download has failed or was canceled");
        } else {
          holders.merge(uniqueId, 1, Integer::sum);
          check(problems, message.id() + " state", row.get("state"), "done");
          byte[] stored = Files.readAllBytes(node.settings().mediaDir().resolve((String) row.get("path")));
          if (!Arrays.equals(stored, WorldFiles.content(uniqueId, (int) decision.file().size()))) {
            problems.add(message.id() + ": stored bytes differ from the world's");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    System.out.printf("media ground truth: %d files stored for %d messages; %s%n", holders.size(),
        holders.values().stream().mapToInt(Integer::intValue).sum(), node.status().path("media"));
    assertThat(holders.values()).as("some files are held by more than one message").anyMatch(n -> n > 1);
    assertThat(skipReasons).as("reasons seen").isNotEmpty();
    assertThat(gone).as("files gone from the server, failed after their tries").isPositive();
    try (Stream<Path> stored = Files.walk(node.settings().mediaDir())) {
      assertThat(stored.filter(Files::isRegularFile).filter(path -> !path.getParent().endsWith("tmp")).count())
          .as("each file once").isEqualTo(holders.size());
    }
    try (Stream<Path> tdlibFiles = Files.walk(node.settings().sessionDir("demo").resolve("files"))) {
      assertThat(tdlibFiles.filter(Files::isRegularFile).toList()).as("TDLib's copies, deleted").isEmpty();
    }
  }

  private static void check(List<String> problems, String what, Object actual, String expected) {
    if (!expected.equals(String.valueOf(actual))) {
      problems.add(what + ": " + actual + ", not " + expected);
    }
  }
}
