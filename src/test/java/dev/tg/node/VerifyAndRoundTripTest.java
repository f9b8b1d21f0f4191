package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tg.cli.Cli;
import dev.tg.simulator.ChatKind;
import dev.tg.simulator.SimChat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tg verify against the simulated Telegram, and a demo chat through Telegram Desktop's format and back. */
class VerifyAndRoundTripTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private TestNode node;
  private Cli cli;

  private void startSynced(Path dataDir) throws Exception {
    Map<String, Object> overrides = DemoNodes.overrides();
    overrides.put("tg.sync.resweep.window", 0);
    node = TestNode.start(dataDir, DemoNodes.world(dataDir), overrides);
    cli = Cli.of(dir, dataDir, node.settings().httpPort(), Files.createDirectories(dir.resolve("config")));
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(node::enabledChatsComplete);
  }

  /** Stops the node; the schema judge's verdict is kept for the end of the test, after its own checks. */
  private AssertionError stopNode() {
    try {
      node.close();
      return null;
    } catch (AssertionError schema) {
      return schema;
    }
  }

  @Test
  void verifyReportsNoHoleOnAnIntactArchiveAndExactlyTheRowsRemoved() throws Exception {
    Path dataDir = Files.createDirectories(dir.resolve("data"));
    startSynced(dataDir);
    SimChat group = DemoNodes.fullySynced(node.world(), ChatKind.SUPERGROUP);
    SimChat direct = DemoNodes.fullySynced(node.world(), ChatKind.PRIVATE);
    Cli.Result intact = cli.run("verify", "--json");
    assertThat(intact.exitCode()).as(intact.toString()).isZero();
    Map<Long, JsonNode> audits = byChat(JSON.readTree(intact.out()));
    assertThat(audits.values()).allSatisfy(audit -> {
      assertThat(audit.path("state").asText()).isEqualTo("done");
      assertThat(audit.path("verdict").asText()).isIn("complete", "not_synced");
      assertThat(audit.path("missing")).isEmpty();
    });
    assertThat(audits.get(group.id()).path("method").asText()).isEqualTo("gaps");
    assertThat(audits.get(direct.id()).path("method").asText()).isEqualTo("pages");

    List<Long> groupIds = archivedIds(group.id());
    List<Long> directIds = archivedIds(direct.id());
    // old messages: a restarted node re-reads only recent ones
    List<Long> removedFromGroup = List.of(groupIds.get(3), groupIds.get(4), groupIds.get(groupIds.size() / 3));
    List<Long> removedFromDirect = List.of(directIds.get(1), directIds.get(directIds.size() / 3));
    // the running node keeps the archive's write lock: rows are removed while it is stopped
    AssertionError firstSchema = stopNode();
    remove(dataDir, group.id(), removedFromGroup);
    remove(dataDir, direct.id(), removedFromDirect);
    startSynced(dataDir);

    Cli.Result holes = cli.run("verify", "--json");
    assertThat(holes.exitCode()).as(holes.toString()).isEqualTo(1);
    audits = byChat(JSON.readTree(holes.out()));
    assertThat(archivedIds(group.id())).as("the node left the removed rows out").doesNotContainAnyElementsOf(
        removedFromGroup);
    assertThat(audits.get(group.id()).path("verdict").asText()).as(audits.get(group.id()).toString())
        .isEqualTo("holes");
    assertThat(longs(audits.get(group.id()).path("missing"))).containsExactlyElementsOf(removedFromGroup);
    assertThat(audits.get(group.id()).path("holes")).hasSize(2);
    assertThat(longs(audits.get(direct.id()).path("missing"))).containsExactlyElementsOf(removedFromDirect);
    audits.forEach((chatId, audit) -> {
      if (chatId != group.id() && chatId != direct.id()) {
        assertThat(audit.path("missing")).as("chat " + chatId).isEmpty();
      }
    });
    Cli.Result one = cli.run("verify", Long.toString(direct.id()));
    assertThat(one.exitCode()).isEqualTo(1);
    assertThat(one.out()).contains(direct.title() + " (" + direct.id() + "): holes").contains("hole: 1 message(s)")
        .contains("missing: " + removedFromDirect.get(0) + " " + removedFromDirect.get(1));

    assertThat(node.post("/chats/12345/audit").path("error").asText()).isEqualTo("unknown chat 12345");
    assertThat(node.get("/chats/12345/audit").path("error").asText()).isEqualTo("unknown chat 12345");
    assertThat(node.post("/chats/" + direct.id() + "/audit?max_requests=0").path("error").asText())
        .startsWith("max_requests must be a number");
    AssertionError schema = stopNode();
    if (firstSchema != null || schema != null) {
      throw firstSchema != null ? firstSchema : schema;
    }
  }

  @Test
  void aDemoChatComesBackFromTelegramDesktopsFormatWithTheSameMessages() throws Exception {
    startSynced(Files.createDirectories(dir.resolve("data")));
    SimChat direct = DemoNodes.fullySynced(node.world(), ChatKind.PRIVATE);
    Path file = dir.resolve("chat.json");
    Cli.Result exported = cli.run("export", Long.toString(direct.id()), "--format", "tdesktop", "-o", file.toString());
    assertThat(exported.exitCode()).as(exported.toString()).isZero();
    Path fresh = Files.createDirectories(dir.resolve("fresh"));
    Cli other = Cli.of(dir, fresh, TestNode.freePort(), Files.createDirectories(dir.resolve("fresh-config")));
    Cli.Result imported = other.run("import", file.toString(), "--account", NodeLauncher.DEMO_ACCOUNT);
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
    // media come back as their kind and details without the file (no caption is the empty text then);
    // Telegram Desktop writes an unsupported message as its id alone, and the import leaves it out
    String columns = "SELECT message_id, date, sender_id, edit_date, is_outgoing, COALESCE(text, '') AS text, "
        + "reply_to_message_id FROM messages WHERE chat_id = ? AND deleted = 0 "
        + "AND content_type != 'messageUnsupported' "
        + "ORDER BY message_id";
    List<Map<String, Object>> rows = node.query(columns, direct.id());
    assertThat(rows).hasSizeGreaterThan(100);
    assertThat(TestNode.query(fresh.resolve("archive.db"), columns, direct.id())).isEqualTo(rows);
    Path again = dir.resolve("again.json");
    assertThat(other.run("export", Long.toString(direct.id()), "--format", "tdesktop", "-o", again.toString())
        .exitCode()).isZero();
    JsonNode original = JSON.readTree(file.toFile());
    List<JsonNode> supported = new ArrayList<>();
    original.path("messages").forEach(message -> {
      if (!message.path("type").asText().equals("unsupported")) {
        supported.add(message);
      }
    });
    JsonNode copy = JSON.readTree(again.toFile());
    assertThat(copy.path("messages")).containsExactlyElementsOf(supported);
    assertThat(copy.path("name")).isEqualTo(original.path("name"));
    assertThat(copy.path("type")).isEqualTo(original.path("type"));
    assertThat(copy.path("id")).isEqualTo(original.path("id"));
    AssertionError schema = stopNode();
    if (schema != null) {
      throw schema;
    }
  }

  private static Map<Long, JsonNode> byChat(JsonNode audits) {
    Map<Long, JsonNode> byChat = new HashMap<>();
    audits.forEach(audit -> byChat.put(audit.path("chat_id").asLong(), audit));
    return byChat;
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asLong()));
    return values;
  }

  private List<Long> archivedIds(long chatId) {
    return node.query("SELECT message_id FROM messages WHERE chat_id = ? ORDER BY message_id", chatId).stream()
        .map(row -> ((Number) row.get("message_id")).longValue()).toList();
  }

  private static void remove(Path dataDir, long chatId, List<Long> ids) throws Exception {
    try (Connection archive = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("archive.db"));
        PreparedStatement delete = archive.prepareStatement(
            "DELETE FROM messages WHERE chat_id = ? AND message_id = ?")) {
      for (long id : ids) {
        delete.setLong(1, chatId);
        delete.setLong(2, id);
        assertThat(delete.executeUpdate()).isEqualTo(1);
      }
    }
  }
}
