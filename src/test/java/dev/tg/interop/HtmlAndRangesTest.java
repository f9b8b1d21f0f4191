package dev.tg.interop;

import static dev.tg.interop.InteropArchive.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tg.cli.Cli;
import dev.tg.node.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tg export --format html, and --since / --until on history and export. */
class HtmlAndRangesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  static Cli cli;

  @BeforeAll
  static void archive() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    InteropArchive.create(data);
    cli = Cli.of(dir, data, TestNode.freePort(), Files.createDirectories(dir.resolve("config")));
  }

  @Test
  void htmlPagesShowSendersEditsDeletionsAndRepliesWithNothingFromElsewhere() throws Exception {
    Path pages = dir.resolve("pages");
    Cli.Result result = cli.run("export", "--all", "--format", "html", "-o", pages.toString());
    assertThat(result.exitCode()).as(result.toString()).isZero();
    String index = Files.readString(pages.resolve("index.html"));
    assertThat(index).contains("href=\"chat-" + InteropArchive.ANNA + ".html\"").contains("Family").contains("News")
        .doesNotContain("chat-" + InteropArchive.BASIC + ".html");
    String anna = Files.readString(pages.resolve("chat-" + InteropArchive.ANNA + ".html"));
    assertThat(anna).contains("Anna Smith").contains("Me Myself").contains("<b>*world*</b>")
        .contains("<a href=\"https://example.org/a?b=1\">link</a>").contains("edited 2024-01-01")
        .contains("this one was deleted").contains("class=\"m deleted\"").contains(">deleted</span>")
        .contains("href=\"#m" + InteropArchive.ANNA + "-" + id(1) + "\"")
        .contains("forwarded from Борис Петров")
        .contains("[photo]");
    for (String page : new String[] {index, anna}) {
      assertThat(page).doesNotContain("<script").doesNotContain(" src=").doesNotContain("<link")
          .doesNotContain("url(");
    }
    String family = Files.readString(pages.resolve("chat-" + InteropArchive.SUPER + ".html"));
    assertThat(family).contains("before the upgrade").contains("after the upgrade").contains("chat upgrade to");
    assertThat(cli.run("export", "Family", "--format", "html").exitCode()).as("html needs a folder").isEqualTo(2);
  }

  @Test
  void sinceAndUntilTakeMessageIdsAndInstantsBothIncluded() throws Exception {
    Cli.Result history = cli.run("history", "Anna Smith", "--json", "--since", "2024-01-01T00:01:00Z",
        "--until", Long.toString(id(3)));
    assertThat(history.exitCode()).as(history.toString()).isZero();
    assertThat(JSON.readTree(history.out())).extracting(message -> message.path("message_id").asLong())
        .containsExactly(id(2), id(3));
    Path file = dir.resolve("range.json");
    Cli.Result export = cli.run("export", "Anna Smith", "--format", "tdesktop", "--since", Long.toString(id(2)),
        "--until", "2024-01-01T00:02:00Z", "-o", file.toString());
    assertThat(export.exitCode()).as(export.toString()).isZero();
    JsonNode messages = JSON.readTree(file.toFile()).path("messages");
    assertThat(messages).extracting(message -> message.path("id").asLong()).containsExactly(2L, 3L);
    Cli.Result bad = cli.run("history", "Anna Smith", "--since", "yesterday");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--since yesterday is neither a message id nor a date");
  }
}
