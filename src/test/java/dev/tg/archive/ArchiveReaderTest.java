package dev.tg.archive;

import static dev.tg.archive.SampleArchive.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tg.archive.ArchiveReader.MessageRow;
import dev.tg.config.DatabaseSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(DatabaseSettings.Kind.class)
class ArchiveReaderTest {
  @TempDir
  static Path dataDir;

  /** The store of this run of the class, whose archive {@link #open} writes. */
  @Parameter
  DatabaseSettings.Kind store;

  static ArchiveReader archive;

  @BeforeParameterizedClassInvocation
  static void open(DatabaseSettings.Kind store) {
    archive = ArchiveReader.openExisting(SampleArchive.create(TestArchives.fresh(store, dataDir)));
  }

  @AfterParameterizedClassInvocation
  static void close() {
    archive.close();
  }

  private static List<String> texts(List<MessageRow> messages) {
    return messages.stream().map(MessageRow::text).toList();
  }

  @Test
  void searchFindsALatinWordCaseInsensitively() {
    assertThat(texts(archive.search("meeting", null, null, 10)))
        .containsExactly("Hello, see you at the Meeting tomorrow");
  }

  @Test
  void searchFindsACyrillicWordInAnyCase() {
    assertThat(texts(archive.search("встреча", null, null, 10)))
        .containsExactly("ВСТРЕЧА отменена", "привет, завтра встреча");
  }

  @Test
  void searchFindsCjkWordsOfAnyLength() {
    // three characters and more go through the trigram index, shorter ones through LIKE
    assertThat(texts(archive.search("こんにちは", null, null, 10))).containsExactly("会议在明天 こんにちは");
    assertThat(texts(archive.search("会议", null, null, 10))).containsExactly("会议在明天 こんにちは");
    assertThat(texts(archive.search("照片", null, null, 10))).containsExactly("照片 in the supergroup");
  }

  @Test
  void searchTakesQuotesAndOperatorsLiterally() {
    assertThat(texts(archive.search("\"quotes\"", null, null, 10))).hasSize(1);
    assertThat(archive.search("OR AND NOT *", null, null, 10)).isEmpty();
    assertThat(archive.search("%", null, null, 10)).isEmpty();
  }

  @Test
  void searchStaysInsideTheChatsAsked() {
    assertThat(texts(archive.search("the", ACCOUNT, Set.of(SampleArchive.NEW_GROUP), 10)))
        .containsExactly("照片 in the supergroup", "after the upgrade");
  }

  @Test
  void anUpgradedBasicGroupIsOneHistoryWithItsSupergroup() {
    assertThat(archive.historyOf(ACCOUNT, SampleArchive.OLD_GROUP))
        .containsExactlyInAnyOrder(SampleArchive.OLD_GROUP, SampleArchive.NEW_GROUP);
    assertThat(archive.historyOf(ACCOUNT, SampleArchive.NEW_GROUP))
        .containsExactlyInAnyOrder(SampleArchive.OLD_GROUP, SampleArchive.NEW_GROUP);
    List<MessageRow> history = archive.history(ACCOUNT, archive.historyOf(ACCOUNT, SampleArchive.NEW_GROUP),
        MessageWindow.ALL, 10);
    assertThat(texts(history)).containsExactly(
        "before the upgrade", "still the basic group", "after the upgrade", "照片 in the supergroup");
  }

  @Test
  void historyKeepsTheNewestMessagesOldestFirst() {
    List<MessageRow> last = archive.history(ACCOUNT, Set.of(SampleArchive.TEAM_A), MessageWindow.ALL, 3);
    assertThat(texts(last)).containsExactly("status update 28", "status update 29", "status update 30");
    assertThat(last.get(0).senderName()).isEqualTo("Anna Smith");
  }

  @Test
  void chatsListEveryChatWithTitle() {
    assertThat(archive.chats(ACCOUNT)).extracting(ArchiveReader.ChatRow::title)
        .contains("Anna Smith", "Борис Петров", "Family", "Team Alpha", "Team Beta");
    assertThat(archive.chats("nobody")).isEmpty();
  }
}
