package dev.tg.datadir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.cli.Cli;
import dev.tg.http.ApiNode;
import dev.tg.http.HttpJson;
import dev.tg.node.TestNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies of a real node's archive and journal with pages overwritten: the node refuses to start naming the file,
 * what is wrong and what to do; {@code tg check} finds the damage; {@code tg check --repair} mends what it says it
 * can and leaves alone what it cannot; a read command says the archive is damaged instead of answering nothing.
 */
class DamagedFilesTest {
  @TempDir
  static Path dir;

  static Path original;
  static long messages;
  static long events;
  static String word;

  @BeforeAll
  static void aRealDataDirectory() throws Exception {
    original = dir.resolve("original");
    try (ApiNode node = ApiNode.start(original, null, TestNode.fast())) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
          count(original.resolve("archive.db"), "SELECT count(*) AS n FROM messages") >= 200);
    }
    messages = count(original.resolve("archive.db"), "SELECT count(*) AS n FROM messages");
    events = count(original.resolve("journal.db"), "SELECT count(*) AS n FROM event_journal");
    String text = (String) TestNode.query(original.resolve("archive.db"),
        "SELECT text FROM messages WHERE length(text) >= 12 ORDER BY message_id LIMIT 1").get(0).get("text");
    word = text.substring(0, 6);
  }

  @Test
  void aDamagedFullTextIndexIsNamedAndRebuiltFromTheMessages() throws Exception {
    Path data = copyOf("fts");
    damage(data.resolve("archive.db"), "messages_fts_data");
    Cli cli = cli(data);

    Cli.Result node = cli.run("node", "--demo");
    assertThat(node.exitCode()).as(node.toString()).isEqualTo(1);
    assertThat(node.err()).contains("archive.db", data.resolve("archive.db").toString(), "is damaged",
        "messages_fts_data", "tg check --repair");

    Cli.Result search = cli.run("search", word);
    assertThat(search.exitCode()).as(search.toString()).isEqualTo(1);
    assertThat(search.err()).contains("is damaged", "tg check");
    assertThat(search.out()).doesNotContain("0 messages");

    Cli.Result check = cli.run("check", "--json");
    assertThat(check.exitCode()).as(check.toString()).isEqualTo(1);
    JsonNode found = HttpJson.MAPPER.readTree(check.out());
    assertThat(found.path("ok").asBoolean()).isFalse();
    JsonNode archive = found.path("files").get(0);
    assertThat(archive.path("file").asText()).isEqualTo("archive.db");
    assertThat(archive.path("damaged").toString()).contains("messages_fts_data");
    assertThat(archive.path("repair").asText()).contains("rebuilds the full-text index from the messages");
    assertThat(found.path("files").get(1).path("ok").asBoolean()).as("the journal is sound").isTrue();

    Cli.Result repair = cli.run("check", "--repair");
    assertThat(repair.exitCode()).as(repair.toString()).isZero();
    assertThat(repair.out()).contains("repaired archive.db", "archive.db  ok", "journal.db  ok");
    assertThat(cli.run("check").exitCode()).isZero();
    assertThat(count(data.resolve("archive.db"), "SELECT count(*) AS n FROM messages")).isEqualTo(messages);
    assertThat(cli.run("search", word).out()).contains(word).doesNotContain("\n0 messages");
    assertThat(keptDamaged(data, "archive.db")).as("the damaged file is kept").hasSize(1);
    ApiNode.start(data, null, TestNode.fast()).close(); // and the node runs on it
  }

  @Test
  void aDamagedJournalIndexIsNamedAndRebuiltFromItsTable() throws Exception {
    Path data = copyOf("journal-index");
    damage(data.resolve("journal.db"), "sqlite_autoindex_event_journal_1");
    Cli cli = cli(data);

    Cli.Result node = cli.run("node", "--demo");
    assertThat(node.exitCode()).as(node.toString()).isEqualTo(1);
    assertThat(node.err()).contains("journal.db", "is damaged", "index sqlite_autoindex_event_journal_1",
        "tg check --repair");
    Cli.Result check = cli.run("check");
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.out()).contains("journal.db  DAMAGED", "rebuilds the damaged indexes");

    Cli.Result repair = cli.run("check", "--repair");
    assertThat(repair.exitCode()).as(repair.toString()).isZero();
    assertThat(count(data.resolve("journal.db"), "SELECT count(*) AS n FROM event_journal")).isEqualTo(events);
    assertThat(cli.run("check").exitCode()).isZero();
  }

  @Test
  void damagedMessagesHaveNoSafeRepairAndAreLeftAsTheyAre() throws Exception {
    Path data = copyOf("messages");
    damage(data.resolve("archive.db"), "messages");
    String before = Manifest.sha256(data.resolve("archive.db"));
    Cli cli = cli(data);

    Cli.Result check = cli.run("check");
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.out()).contains("archive.db  DAMAGED", "messages", "No repair is safe", "tg restore");
    Cli.Result repair = cli.run("check", "--repair");
    assertThat(repair.exitCode()).isEqualTo(1);
    assertThat(repair.out()).doesNotContain("repaired");
    assertThat(Manifest.sha256(data.resolve("archive.db"))).isEqualTo(before);
    assertThat(keptDamaged(data, "archive.db")).isEmpty();
  }

  @Test
  void aRepairWaitsForTheNodeToStop() throws Exception {
    Path data = copyOf("running");
    damage(data.resolve("archive.db"), "messages_fts_data");
    try (DataDirLock node = DataDirLock.acquire(data, "node")) {
      Cli.Result repair = cli(data).run("check", "--repair");
      assertThat(repair.exitCode()).isEqualTo(1);
      assertThat(repair.err()).contains("a repair needs the node stopped", "another tg node (pid "
          + ProcessHandle.current().pid());
    }
  }

  private static Path copyOf(String name) throws IOException {
    Path copy = dir.resolve(name);
    for (String file : List.of("archive.db", "journal.db")) {
      Files.createDirectories(copy);
      Files.copy(original.resolve(file), copy.resolve(file));
    }
    return copy;
  }

  private static Cli cli(Path data) throws IOException {
    return Cli.of(dir, data, TestNode.freePort(), Files.createDirectories(dir.resolve("config")),
        "tg.demo.world = tiny");
  }

  /** Overwrites the first page of a table's or an index's tree with noise, as a failing disk might. */
  private static void damage(Path database, String tree) throws IOException {
    Map<String, Object> row = TestNode.query(database,
        "SELECT rootpage, (SELECT page_size FROM pragma_page_size) AS page_size FROM sqlite_schema WHERE name = ?",
        tree).get(0);
    long page = ((Number) row.get("rootpage")).longValue();
    int size = ((Number) row.get("page_size")).intValue();
    byte[] noise = new byte[size];
    new Random(page).nextBytes(noise);
    try (RandomAccessFile file = new RandomAccessFile(database.toFile(), "rw")) {
      file.seek((page - 1) * size);
      file.write(noise);
    }
  }

  private static List<Path> keptDamaged(Path data, String name) throws IOException {
    try (Stream<Path> files = Files.list(data)) {
      return files.map(file -> file.getFileName().toString())
          .filter(file -> file.startsWith(name + ".damaged-") && !file.endsWith("-wal") && !file.endsWith("-shm"))
          .map(data::resolve).toList();
    }
  }

  private static long count(Path database, String sql) {
    return ((Number) TestNode.query(database, sql).get(0).get("n")).longValue();
  }
}
