package dev.tg.interop;

import static dev.tg.interop.InteropArchive.ACCOUNT;
import static dev.tg.interop.InteropArchive.ANNA;
import static dev.tg.interop.InteropArchive.BASIC;
import static dev.tg.interop.InteropArchive.SUPER;
import static dev.tg.interop.InteropArchive.T0;
import static dev.tg.interop.InteropArchive.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tg.archive.ArchiveStore;
import dev.tg.archive.ChatRecord;
import dev.tg.cli.Cli;
import dev.tg.node.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tg export --format tdesktop read back with a plain JSON reading, and tg import of what it wrote. */
class TdesktopFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  static Cli source;
  static Path sourceArchive;
  static Path wholeAccount;

  @BeforeAll
  static void archive() throws Exception {
    Path data = Files.createDirectories(dir.resolve("source"));
    sourceArchive = InteropArchive.create(data);
    source = cli("source-cli", data);
    wholeAccount = dir.resolve("account.json");
    Cli.Result result = source.run("export", "--all", "--format", "tdesktop", "-o", wholeAccount.toString());
    assertThat(result.exitCode()).as(result.toString()).isZero();
  }

  static Cli cli(String name, Path data) throws Exception {
    return Cli.of(Files.createDirectories(dir.resolve(name)), data, TestNode.freePort(),
        Files.createDirectories(dir.resolve(name).resolve("config")));
  }

  @Test
  void everyFieldOfAChatMatchesTheArchive() throws Exception {
    Path file = dir.resolve("anna.json");
    assertThat(source.run("export", "Anna Smith", "--format", "tdesktop", "-o", file.toString()).exitCode()).isZero();
    JsonNode chat = JSON.readTree(file.toFile());
    assertThat(chat.path("name").asText()).isEqualTo("Anna Smith");
    assertThat(chat.path("type").asText()).isEqualTo("personal_chat");
    assertThat(chat.path("id").asLong()).isEqualTo(ANNA);
    List<Map<String, Object>> rows = TestNode.query(sourceArchive, "SELECT message_id, sender_id, date, edit_date, "
        + "text, reply_to_message_id FROM messages WHERE chat_id = ? AND deleted = 0 ORDER BY message_id", ANNA);
    assertThat(chat.path("messages")).as("the deleted message is left out").hasSize(rows.size()).hasSize(4);
    for (int i = 0; i < rows.size(); i++) {
      JsonNode message = chat.path("messages").get(i);
      Map<String, Object> row = rows.get(i);
      long date = ((Number) row.get("date")).longValue();
      assertThat(message.path("id").asLong() << 20).isEqualTo(((Number) row.get("message_id")).longValue());
      assertThat(message.path("type").asText()).isEqualTo("message");
      assertThat(message.path("date_unixtime").asText()).isEqualTo(Long.toString(date));
      assertThat(LocalDateTime.parse(message.path("date").asText()))
          .isEqualTo(LocalDateTime.ofInstant(Instant.ofEpochSecond(date), ZoneId.systemDefault()));
      long edit = ((Number) row.get("edit_date")).longValue();
      assertThat(message.path("edited_unixtime").asText(null)).isEqualTo(edit == 0 ? null : Long.toString(edit));
      long sender = ((Number) row.get("sender_id")).longValue();
      assertThat(message.path("from_id").asText()).isEqualTo("user" + sender);
      assertThat(message.path("from").asText()).isEqualTo(sender == ANNA ? "Anna Smith" : "Me Myself");
      long reply = ((Number) row.get("reply_to_message_id")).longValue();
      assertThat(message.path("reply_to_message_id").asLong()).isEqualTo(reply >> 20);
      StringBuilder text = new StringBuilder();
      message.path("text_entities").forEach(part -> text.append(part.path("text").asText()));
      assertThat(text.toString()).isEqualTo(row.get("text"));
    }
    JsonNode first = chat.path("messages").get(0).path("text");
    assertThat(first.isArray()).isTrue();
    assertThat(first.get(0).asText()).isEqualTo("Hello ");
    assertThat(first.get(1).path("type").asText()).as("the italic inside the bold is dropped, as tdesktop does")
        .isEqualTo("bold");
    assertThat(first.get(1).path("text").asText()).isEqualTo("*world*");
    assertThat(first.get(3).path("href").asText()).isEqualTo("https://example.org/a?b=1");
    assertThat(first.get(5).path("document_id").asText()).isEqualTo("5368324170671202286");
    JsonNode second = chat.path("messages").get(1);
    assertThat(second.path("edited_unixtime").asText()).isEqualTo(Long.toString(T0 + 90));
    assertThat(second.path("text_entities").get(1).path("language").asText()).isEqualTo("python");
    assertThat(second.path("text_entities").get(3).path("user_id").asLong()).isEqualTo(ANNA);
    JsonNode third = chat.path("messages").get(2);
    assertThat(third.path("forwarded_from").asText()).isEqualTo("Борис Петров");
    assertThat(third.path("text_entities").get(0).path("collapsed").asBoolean()).isTrue();
    assertThat(chat.path("messages").get(3).path("text").asText()).isEqualTo("a photo caption");
  }

  @Test
  void anUpgradedGroupIsOneChatWithItsServiceMessagesAndTheBasicGroupsIdsShifted() throws Exception {
    JsonNode family = chat(JSON.readTree(wholeAccount.toFile()), "Family");
    assertThat(family.path("type").asText()).isEqualTo("private_supergroup");
    assertThat(family.path("id").asLong()).isEqualTo(1_900_000_001L);
    List<JsonNode> messages = new ArrayList<>();
    family.path("messages").forEach(messages::add);
    assertThat(messages).extracting(message -> message.path("id").asLong())
        .containsExactly(1 - 1_000_000_000L, 2 - 1_000_000_000L, 3 - 1_000_000_000L, 4 - 1_000_000_000L, 1L, 2L, 3L,
            4L, 5L);
    assertThat(messages.get(0).path("type").asText()).isEqualTo("service");
    assertThat(messages.get(0).path("action").asText()).isEqualTo("create_group");
    assertThat(messages.get(0).path("actor").asText()).isEqualTo("Anna Smith");
    assertThat(messages.get(0).path("actor_id").asText()).isEqualTo("user" + ANNA);
    assertThat(messages.get(0).path("members")).extracting(JsonNode::asText)
        .containsExactly("Anna Smith", "Борис Петров");
    assertThat(messages.get(2).path("reply_to_message_id").asLong()).isEqualTo(2 - 1_000_000_000L);
    assertThat(messages.get(3).path("action").asText()).isEqualTo("migrate_to_supergroup");
    assertThat(messages.get(4).path("action").asText()).isEqualTo("migrate_from_group");
    assertThat(messages.get(6).path("action").asText()).isEqualTo("edit_group_title");
    assertThat(messages.get(6).path("title").asText()).isEqualTo("Family 2");
    assertThat(messages.get(7).path("action").asText()).isEqualTo("pin_message");
    assertThat(messages.get(7).path("message_id").asLong()).isEqualTo(2);
    assertThat(messages.get(8).path("action").asText()).isEqualTo("invite_members");
    assertThat(messages.get(8).path("text").asText()).isEmpty();
    JsonNode news = chat(JSON.readTree(wholeAccount.toFile()), "News");
    assertThat(news.path("type").asText()).isEqualTo("private_channel");
    JsonNode post = news.path("messages").get(0);
    assertThat(post.path("from").asText()).isEqualTo("News");
    assertThat(post.path("from_id").asText()).isEqualTo("channel1900000002");
    assertThat(post.path("author").asText()).isEqualTo("Editor");
    assertThat(news.path("messages").get(1).path("forwarded_from").asText()).isEqualTo("Someone Hidden");
  }

  @Test
  void anImportIntoAFreshArchiveGivesTheSameMessagesAndASecondImportAddsNothing() throws Exception {
    Path data = Files.createDirectories(dir.resolve("fresh"));
    Cli fresh = cli("fresh-cli", data);
    Cli.Result imported = fresh.run("import", wholeAccount.toString(), "--account", ACCOUNT);
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
    assertThat(imported.out()).contains("3 chats").contains("left out").contains("note: 4 message(s) of basic groups");
    Path again = dir.resolve("again.json");
    assertThat(fresh.run("export", "--all", "--format", "tdesktop", "-o", again.toString()).exitCode()).isZero();
    JsonNode original = JSON.readTree(wholeAccount.toFile());
    JsonNode copy = JSON.readTree(again.toFile());
    for (String name : List.of("Anna Smith", "News")) {
      assertThat(chat(copy, name).path("messages")).as(name).isEqualTo(chat(original, name).path("messages"));
    }
    List<JsonNode> family = new ArrayList<>();
    chat(original, "Family").path("messages").forEach(message -> {
      if (message.path("id").asLong() > 0) {
        family.add(message);
      }
    });
    assertThat(chat(copy, "Family").path("messages")).containsExactlyElementsOf(family);
    long rows = count(data, "SELECT COUNT(*) FROM messages");
    assertThat(count(data, "SELECT COUNT(*) FROM imported_messages WHERE source = ?", wholeAccount.toString()))
        .isEqualTo(rows).isEqualTo(11);

    Cli.Result second = fresh.run("import", wholeAccount.toString());
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).contains(", 0 new, 11 already archived");
    assertThat(count(data, "SELECT COUNT(*) FROM messages")).isEqualTo(rows);
  }

  @Test
  void aKnownUpgradeTakesTheBasicGroupsMessagesBackToItsOwnChat() throws Exception {
    Path data = Files.createDirectories(dir.resolve("upgraded"));
    try (ArchiveStore store = ArchiveStore.open(data.resolve("archive.db"))) {
      store.saveChat(ACCOUNT, new ChatRecord(BASIC, "group", "Family", 3, SUPER));
      store.saveChat(ACCOUNT, new ChatRecord(SUPER, "supergroup", "Family", 3, 0));
    }
    Cli upgraded = cli("upgraded-cli", data);
    Cli.Result imported = upgraded.run("import", wholeAccount.toString());
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
    assertThat(imported.out()).contains("0 left out");
    assertThat(TestNode.query(data.resolve("archive.db"), "SELECT message_id, reply_to_message_id FROM messages "
        + "WHERE chat_id = ? ORDER BY message_id", BASIC))
        .extracting(row -> ((Number) row.get("message_id")).longValue())
        .containsExactly(id(1), id(2), id(3), id(4));
    Path again = dir.resolve("upgraded.json");
    assertThat(upgraded.run("export", "Family", "--format", "tdesktop", "-o", again.toString()).exitCode()).isZero();
    assertThat(JSON.readTree(again.toFile()).path("messages"))
        .isEqualTo(chat(JSON.readTree(wholeAccount.toFile()), "Family").path("messages"));
  }

  @Test
  void importingWhatTheArchiveHasAddsNothingAndMarksNothing() {
    Cli.Result result = source.run("import", wholeAccount.toString());
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains(", 0 new, ");
    assertThat(count(sourceArchive.getParent(), "SELECT COUNT(*) FROM imported_messages")).isZero();
  }

  @Test
  void aTruncatedOrBadFileIsNamedWithItsPositionAndImportsNothing() throws Exception {
    Path data = Files.createDirectories(dir.resolve("bad"));
    Cli bad = cli("bad-cli", data);
    Path anna = dir.resolve("bad-anna.json");
    assertThat(source.run("export", "Anna Smith", "--format", "tdesktop", "-o", anna.toString()).exitCode()).isZero();
    assertThat(bad.run("import", anna.toString(), "--account", ACCOUNT).exitCode()).isZero();
    long before = count(data, "SELECT COUNT(*) FROM messages");

    String whole = Files.readString(wholeAccount);
    Path truncated = dir.resolve("truncated.json");
    Files.writeString(truncated, whole.substring(0, whole.length() * 3 / 4));
    Cli.Result cut = bad.run("import", truncated.toString());
    assertThat(cut.exitCode()).isEqualTo(1);
    assertThat(cut.err()).contains(truncated.toString()).containsPattern("line \\d+, column \\d+");

    int unixtime = whole.lastIndexOf("\"date_unixtime\"");
    int date = whole.lastIndexOf("\"date\"", unixtime);
    int line = (int) whole.substring(0, whole.lastIndexOf("{", date)).chars().filter(c -> c == '\n').count() + 1;
    Path undated = dir.resolve("undated.json");
    Files.writeString(undated, whole.substring(0, date) + whole.substring(whole.indexOf(",", unixtime) + 1));
    Cli.Result broken = bad.run("import", undated.toString());
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.err()).contains(undated + ": line " + line + ", column").contains("has no date");
    assertThat(count(data, "SELECT COUNT(*) FROM messages")).as("nothing half-imported").isEqualTo(before);
    assertThat(bad.run("import", dir.resolve("nowhere").toString()).err()).contains("no Telegram Desktop export at");
  }

  static JsonNode chat(JsonNode account, String name) {
    for (JsonNode chat : account.path("chats").path("list")) {
      if (chat.path("name").asText().equals(name)) {
        return chat;
      }
    }
    throw new AssertionError("no chat " + name);
  }

  static long count(Path data, String sql, Object... values) {
    return ((Number) TestNode.query(data.resolve("archive.db"), sql, values).get(0).values().iterator().next())
        .longValue();
  }
}
