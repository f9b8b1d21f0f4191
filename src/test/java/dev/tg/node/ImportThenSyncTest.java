package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.cli.Cli;
import dev.tg.simulator.ChatKind;
import dev.tg.simulator.SimChat;
import dev.tg.simulator.SimMessage;
import dev.tg.simulator.SimUser;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.verify.ArchiveCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole-account Telegram Desktop export, written here by hand in Telegram Desktop's format from the world's
 * messages (the older two thirds of a private chat and of a supergroup), imported before the node ever ran; then the
 * node syncs the same chats: nothing twice, nothing lost, the cursors as the crash checker wants them.
 */
class ImportThenSyncTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void anImportedExportMergesWithWhatTheNodeSyncs() throws Exception {
    Path dataDir = Files.createDirectories(dir.resolve("data"));
    SimulatedTelegram world = DemoNodes.world(dataDir);
    SimChat direct = DemoNodes.fullySynced(world, ChatKind.PRIVATE);
    SimChat group = DemoNodes.fullySynced(world, ChatKind.SUPERGROUP);
    ObjectNode account = JSON.createObjectNode().put("about", "written by the test");
    account.putObject("personal_information").put("user_id", world.myUserId()).put("first_name", "Me");
    ArrayNode list = account.putObject("chats").put("about", "chats").putArray("list");
    int exported = export(world, direct, "personal_chat", direct.entityId(), list)
        + export(world, group, "private_supergroup", group.entityId(), list);
    Path file = dir.resolve("result.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), account);

    Cli cli = Cli.of(dir, dataDir, TestNode.freePort(), Files.createDirectories(dir.resolve("config")));
    Cli.Result imported = cli.run("import", dir.toString(), "--account", NodeLauncher.DEMO_ACCOUNT);
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
    assertThat(imported.out()).contains("2 chats").contains(exported + " new");

    TestNode node = TestNode.start(dataDir, world, DemoNodes.overrides());
    AssertionError schema = null;
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(node::enabledChatsComplete);
      List<Long> chats = GroundTruth.chatsWhere(node, "sync_enabled = 1");
      assertThat(chats).contains(direct.id(), group.id());
      assertThat(GroundTruth.problems(node, chats, true)).isEmpty();
      assertThat(node.query("SELECT COUNT(*) AS n FROM imported_messages WHERE verified_at IS NULL"))
          .as("every imported message was seen on Telegram, and its row took TDLib's JSON")
          .containsExactly(Map.of("n", 0));
      assertThat(node.query("SELECT COUNT(*) AS n FROM imported_messages i JOIN messages m USING (account, chat_id, "
          + "message_id) WHERE m.raw_json NOT LIKE '%\"is_channel_post\"%'")).containsExactly(Map.of("n", 0));
      Cli.Result running = Cli.of(dir, dataDir, node.settings().httpPort(), dir.resolve("config"))
          .run("import", file.toString());
      assertThat(running.exitCode()).isEqualTo(1);
      assertThat(running.err()).contains("the node is running");
    } finally {
      try {
        node.close();
      } catch (AssertionError e) {
        schema = e;
      }
    }
    ArchiveCheck.Report report = ArchiveCheck.check(node.config(), Instant.now());
    assertThat(report.failures()).as(String.join("\n", report.details())).isZero();
    assertThat(report.messagesInRange()).isGreaterThan(exported);
    if (schema != null) {
      throw schema;
    }
  }

  /** The older two thirds of the chat, as Telegram Desktop writes them; returns how many messages it wrote. */
  private static int export(SimulatedTelegram world, SimChat chat, String type, long bareId, ArrayNode list)
      throws Exception {
    ObjectNode dialog = list.addObject().put("name", chat.title()).put("type", type).put("id", bareId);
    ArrayNode messages = dialog.putArray("messages");
    List<SimMessage> truth = world.groundTruth(chat.id()).values().stream().filter(m -> !m.deleted()).toList();
    int written = 0;
    for (SimMessage message : truth.subList(0, truth.size() * 2 / 3)) {
      JsonNode raw = JSON.readTree(message.rawJson());
      ObjectNode out = messages.addObject().put("id", message.id() >> 20);
      String content = message.contentType();
      if (content.equals("messageUnsupported")) {
        out.put("type", "unsupported");
        continue;
      }
      boolean service = content.startsWith("messageChat") || content.equals("messagePinMessage");
      out.put("type", service ? "service" : "message")
          .put("date", LocalDateTime.ofEpochSecond(message.date(), 0, ZoneOffset.UTC).toString())
          .put("date_unixtime", Integer.toString(message.date()));
      if (message.editDate() > 0) {
        out.put("edited", "2024-01-01T00:00:00").put("edited_unixtime", Integer.toString(message.editDate()));
      }
      long sender = raw.path("sender_id").path("user_id").asLong();
      SimUser user = world.user(sender);
      out.put(service ? "actor" : "from", (user.firstName() + " " + user.lastName()).trim())
          .put(service ? "actor_id" : "from_id", "user" + sender);
      switch (content) {
        case "messageChatChangeTitle" -> out.put("action", "edit_group_title")
            .put("title", raw.path("content").path("title").asText());
        case "messagePinMessage" -> out.put("action", "pin_message")
            .put("message_id", raw.path("content").path("message_id").asLong() >> 20);
        case "messageChatAddMembers" -> out.put("action", "invite_members").putArray("members").add("Someone");
        case "messagePhoto" -> out.put("photo", "(File not included. Change data exporting settings to download.)");
        case "messageDocument" -> out.put("file", "(File not included.)").put("mime_type", "application/pdf");
        case "messageSticker" -> out.put("file", "(File not included.)").put("media_type", "sticker");
        default -> { }
      }
      if (raw.path("reply_to").has("message_id")) {
        out.put("reply_to_message_id", raw.path("reply_to").path("message_id").asLong() >> 20);
      }
      out.put("text", service ? "" : message.text());
      ArrayNode entities = out.putArray("text_entities");
      if (!service && !message.text().isEmpty()) {
        entities.addObject().put("type", "plain").put("text", message.text());
      }
      written++;
    }
    return written;
  }
}
