package dev.tg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.http.ApiNode;
import dev.tg.http.HttpJson;
import dev.tg.node.TestNode;
import dev.tg.simulator.ChatKind;
import dev.tg.simulator.SimChat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that talk to a running node: status, chats, sync. */
class NodeCommandsTest {
  @TempDir
  static Path dir;

  static ApiNode node;
  static Cli cli;

  @BeforeAll
  static void start() throws Exception {
    Path dataDir = dir.resolve("data");
    node = ApiNode.start(dataDir, null, TestNode.fast());
    cli = Cli.of(dir, dataDir, node.port(), Files.createDirectories(dir.resolve("config")));
    node.awaitEveryChatListed();
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> node.get("/status").body().path("contacts").path("total_contacts").asInt()
            == node.world().contactCount());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static List<JsonNode> chats(String query) {
    return StreamSupport.stream(node.get("/chats" + query).body().spliterator(), false).toList();
  }

  /** A P3 chat whose title no other chat contains, so that it can be named by title. */
  private static JsonNode uniquelyNamedLargeChat() {
    List<JsonNode> all = chats("");
    return chats("?priority=P3").stream().filter(view -> {
      String title = view.path("progress").path("title").asText().toLowerCase();
      return all.stream().filter(other -> other.path("progress").path("title").asText().toLowerCase()
          .contains(title)).count() == 1;
    }).findFirst().orElseThrow();
  }

  @Test
  void statusPrintsTheDesignSectionsWithTheNodesNumbers() {
    Cli.Result result = cli.run("status");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    JsonNode status = node.get("/status").body();
    assertThat(result.out()).contains("Daemon Status", "Running:         Yes", "Contact Sync", "Chat Sync Summary",
        "Sync by Priority", "High (P1)", "Medium (P2)", "Low (P3)", "Active Jobs", "Rate Limiting",
        "Requests/sec:", "Flood wait:", "Media", "Pending:", "Stored:", "Failed/skipped:");
    assertThat(result.out())
        .contains("Total chats:     " + status.path("chats").path("total_chats").asInt())
        .contains("Contacts:        " + status.path("contacts").path("total_contacts").asInt())
        .contains("Sync enabled:    " + status.path("chats").path("sync_enabled").asInt());
  }

  @Test
  void statusJsonIsTheNodesStatus() throws Exception {
    Cli.Result result = cli.run("status", "--json");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    JsonNode printed = HttpJson.MAPPER.readTree(result.out());
    JsonNode served = node.get("/status").body();
    assertThat(printed.path("daemon_running").asBoolean()).isTrue();
    for (String path : List.of("/chats/total_chats", "/chats/sync_enabled", "/contacts/total_contacts",
        "/chats/by_priority/P1/total", "/chats/by_priority/P3/total", "/rate_limit_status/configured_limit")) {
      assertThat(printed.at(path)).as(path).isEqualTo(served.at(path));
    }
    assertThat(printed.fieldNames()).toIterable().containsAll(() -> served.fieldNames());
  }

  @Test
  void statusWatchRefreshes() {
    Cli.Result result = cli.run("status", "--watch", "--interval", "0.05", "--refreshes", "3");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out().split("Daemon Status", -1)).hasSize(4);
    assertThat(result.out()).contains("\033[H\033[2J");
  }

  @Test
  void chatsComeFromTheNode() throws Exception {
    Cli.Result table = cli.run("chats");
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.err()).isEmpty();
    int total = node.get("/status").body().path("chats").path("total_chats").asInt();
    assertThat(table.out()).contains(total + " chats").contains("Prio").contains("State");
    JsonNode json = HttpJson.MAPPER.readTree(cli.run("chats", "--json").out());
    assertThat(json).hasSize(total);
    assertThat(json.get(0).path("source").asText()).isEqualTo("node");
    JsonNode large = HttpJson.MAPPER.readTree(cli.run("chats", "--json", "--priority", "p3").out());
    assertThat(large).isNotEmpty()
        .allSatisfy(chat -> assertThat(chat.path("priority").asText()).isEqualTo("P3"));
  }

  @Test
  void syncByTitleWaitsWithAProgressBarUntilComplete() {
    JsonNode chat = uniquelyNamedLargeChat();
    String title = chat.path("progress").path("title").asText();
    Cli.Result result = cli.run("sync", title, "--wait", "--poll", "50", "--timeout", "60");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("sync of " + title).contains("[").contains("%")
        .contains("history complete");
    JsonNode after = node.get("/chats/" + chat.path("progress").path("chat_id").asLong()).body();
    assertThat(after.path("progress").path("history_complete").asBoolean()).isTrue();
    assertThat(after.path("progress").path("priority").asText()).isEqualTo("P4");
  }

  @Test
  void syncByIdWithoutWaiting() {
    long chatId = chats("?priority=P3").get(0).path("progress").path("chat_id").asLong();
    Cli.Result result = cli.run("sync", Long.toString(chatId));
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("(" + chatId + ") requested");
  }

  @Test
  void syncOfAnAmbiguousTitleListsTheCandidates() {
    // two partners of the same name, and so two private chats of the same title
    List<SimChat> dms = node.world().chats().stream().filter(chat -> chat.kind() == ChatKind.PRIVATE).toList();
    for (SimChat dm : dms.subList(dms.size() - 2, dms.size())) {
      node.world().renameUser(dm.entityId(), "Namesake", "Twin");
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> chats("").stream()
        .filter(view -> view.path("progress").path("title").asText().equals("Namesake Twin")).count() == 2);
    Map<String, Long> titles = chats("").stream().collect(java.util.stream.Collectors.groupingBy(
        view -> view.path("progress").path("title").asText(), java.util.stream.Collectors.counting()));
    String shared = titles.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey)
        .findFirst().orElseThrow();
    Cli.Result result = cli.run("sync", shared);
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("\"" + shared + "\" names " + titles.get(shared) + " chats")
        .contains("name one by its id");
    Cli.Result unknown = cli.run("sync", "no such chat title at all");
    assertThat(unknown.exitCode()).isEqualTo(Main.FAILURE);
    assertThat(unknown.err()).contains("no chat");
  }

  @Test
  void theChatTableAlignsAnyScript() {
    List<String> lines = new ArrayList<>(cli.run("chats").out().lines().toList());
    lines.remove(lines.size() - 1);
    int width = Text.width(lines.get(0).stripTrailing());
    for (String line : lines) {
      assertThat(Text.width(line.stripTrailing())).as(line).isEqualTo(width);
    }
  }
}
