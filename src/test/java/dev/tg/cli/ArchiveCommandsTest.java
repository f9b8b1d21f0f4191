package dev.tg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.archive.SampleArchive;
import dev.tg.http.HttpJson;
import dev.tg.node.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read commands on an archive with no node running, and the commands that need the node saying so. */
class ArchiveCommandsTest {
  @TempDir
  static Path dir;

  static Cli cli;

  @BeforeAll
  static void archive() throws Exception {
    Path dataDir = Files.createDirectories(dir.resolve("data"));
    SampleArchive.create(dataDir);
    // nothing listens on this port: the node is "not running"
    cli = Cli.of(dir, dataDir, TestNode.freePort(), Files.createDirectories(dir.resolve("config")));
  }

  @Test
  void historyPrintsTheNewestMessagesOldestFirst() {
    Cli.Result result = cli.run("history", "Team Alpha", "--limit", "2");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out().lines().toList()).hasSize(2);
    assertThat(result.out()).contains("Anna Smith: status update 29").contains("status update 30")
        .doesNotContain("status update 28");
  }

  @Test
  void historyOfAnUpgradedGroupReadsBothChatsAsOne() throws Exception {
    Cli.Result result = cli.run("history", "Family", "--json");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    JsonNode messages = HttpJson.MAPPER.readTree(result.out());
    assertThat(messages).extracting(message -> message.path("text").asText()).containsExactly(
        "before the upgrade", "still the basic group", "after the upgrade", "照片 in the supergroup");
    assertThat(messages.get(0).path("chat_id").asLong()).isEqualTo(SampleArchive.OLD_GROUP);
  }

  @Test
  void aChatIsNamedByIdOrByAPartOfItsTitle() {
    assertThat(cli.run("history", Long.toString(SampleArchive.BORIS_CHAT)).out()).contains("ВСТРЕЧА отменена");
    assertThat(cli.run("history", "борис").out()).contains("ВСТРЕЧА отменена");
  }

  @Test
  void anAmbiguousTitleListsTheCandidatesWithUsageExit() {
    Cli.Result result = cli.run("history", "Team");
    assertThat(result.exitCode()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("\"Team\" names 2 chats")
        .contains(Long.toString(SampleArchive.TEAM_A)).contains("Team Alpha")
        .contains(Long.toString(SampleArchive.TEAM_B)).contains("Team Beta");
  }

  @Test
  void anUnknownChatFails() {
    Cli.Result result = cli.run("history", "Nobody at all");
    assertThat(result.exitCode()).isEqualTo(Main.FAILURE);
    assertThat(result.err()).contains("no chat \"Nobody at all\"");
  }

  @Test
  void searchFindsWordsInLatinCyrillicAndCjk() {
    assertThat(cli.run("search", "meeting").out()).contains("[Anna Smith] Anna Smith: Hello, see you");
    assertThat(cli.run("search", "встреча").out()).contains("ВСТРЕЧА отменена").contains("привет, завтра встреча");
    assertThat(cli.run("search", "会议").out()).contains("会议在明天");
    assertThat(cli.run("search", "こんにちは").out()).contains("会议在明天");
    Cli.Result none = cli.run("search", "zzzz");
    assertThat(none.exitCode()).isZero();
    assertThat(none.out()).contains("0 messages");
  }

  @Test
  void searchInOneChatAsJson() throws Exception {
    Cli.Result result = cli.run("search", "the", "--chat", "Family", "--json");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    JsonNode found = HttpJson.MAPPER.readTree(result.out());
    assertThat(found).extracting(message -> message.path("text").asText()).containsExactly(
        "照片 in the supergroup", "after the upgrade", "still the basic group", "before the upgrade");
  }

  @Test
  void exportWritesCsvWithQuotingToAnOwnerOnlyFile() throws Exception {
    Path file = dir.resolve("anna.csv");
    Cli.Result result = cli.run("export", "Anna", "--format", "csv", "--output", file.toString());
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).contains("exported 3 messages");
    String csv = Files.readString(file);
    assertThat(csv).startsWith("account,chat_id,chat_title,message_id,date,sender_id,sender_name");
    assertThat(csv).contains("\"ok, with \"\"quotes\"\", commas\nand a line break\"");
    assertThat(csv.split("\r\n")).hasSize(4);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void exportWritesJsonLinesToStdout() throws Exception {
    Cli.Result result = cli.run("export", "Family", "--format", "JSONL");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(4);
    for (String line : lines) {
      assertThat(HttpJson.MAPPER.readTree(line).path("message_id").isNumber()).isTrue();
    }
  }

  @Test
  void exportNeedsAKnownFormat() {
    assertThat(cli.run("export", "Anna").exitCode()).isEqualTo(Main.USAGE);
    Cli.Result result = cli.run("export", "Anna", "--format", "xml");
    assertThat(result.exitCode()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("--format");
  }

  @Test
  void contactsAsTableAndJson() throws Exception {
    Cli.Result table = cli.run("contacts");
    assertThat(table.exitCode()).isZero();
    assertThat(table.out()).contains("Anna Smith").contains("@anna").contains("Борис Петров").contains("2 contacts");
    JsonNode json = HttpJson.MAPPER.readTree(cli.run("contacts", "--json").out());
    assertThat(json).extracting(contact -> contact.path("user_id").asLong())
        .containsExactly(SampleArchive.ANNA, SampleArchive.BORIS);
  }

  @Test
  void chatsFallBackToTheArchiveWhenTheNodeIsDown() throws Exception {
    Cli.Result result = cli.run("chats");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).contains("not running");
    assertThat(result.out()).contains("Team Alpha").contains("Борис Петров").contains("6 chats");
    JsonNode json = HttpJson.MAPPER.readTree(cli.run("chats", "--json").out());
    assertThat(json).hasSize(6);
    assertThat(json.get(0).path("source").asText()).isEqualTo("archive");
    assertThat(cli.run("chats", "--state", "bogus").exitCode()).isEqualTo(Main.USAGE);
    assertThat(cli.run("chats", "--priority", "P7").exitCode()).isEqualTo(Main.USAGE);
  }

  @Test
  void commandsThatNeedTheNodeSaySoClearly() {
    for (String[] command : List.of(new String[] {"status"}, new String[] {"status", "--json"},
        new String[] {"status", "--watch"}, new String[] {"sync", "Anna"})) {
      Cli.Result result = cli.run(command);
      assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILURE);
      assertThat(result.err()).contains("the tg node is not running").contains("tg node");
    }
  }

  @Test
  void readCommandsWithoutAnArchiveSayHowToGetOne() throws Exception {
    Cli empty = Cli.of(dir, dir.resolve("nothing-here"), TestNode.freePort(), dir.resolve("config"));
    Cli.Result result = empty.run("history", "Anna");
    assertThat(result.exitCode()).isEqualTo(Main.FAILURE);
    assertThat(result.err()).contains("no archive at").contains("tg node");
    assertThat(Files.exists(dir.resolve("nothing-here"))).isFalse();
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(Cli.runPlain("no-such-command").exitCode()).isEqualTo(Main.USAGE);
    assertThat(cli.run("history", "Anna", "--limit", "0").exitCode()).isEqualTo(Main.USAGE);
    assertThat(cli.run("history").exitCode()).isEqualTo(Main.USAGE);
    assertThat(cli.run("search", "x", "--bogus").exitCode()).isEqualTo(Main.USAGE);
  }

  @Test
  void completionScriptKnowsTheCommands() {
    Cli.Result result = Cli.runPlain("completion");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("complete -F").contains("history").contains("search").contains("export");
  }

  @Test
  void helpListsEveryCommand() {
    Cli.Result result = Cli.runPlain("--help");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("node", "status", "chats", "sync", "contacts", "history", "search", "export",
        "completion");
  }
}
