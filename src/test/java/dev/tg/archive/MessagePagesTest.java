package dev.tg.archive;

import static dev.tg.archive.SampleArchive.ACCOUNT;
import static dev.tg.archive.SampleArchive.ANNA;
import static dev.tg.archive.SampleArchive.BORIS;
import static dev.tg.archive.SampleArchive.NEW_GROUP;
import static dev.tg.archive.SampleArchive.OLD_GROUP;
import static dev.tg.archive.SampleArchive.TEAM_A;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tg.archive.MessagePages.Anchor;
import dev.tg.archive.MessagePages.MessagePage;
import dev.tg.archive.MessagePages.MessageVersion;
import dev.tg.config.DatabaseSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The chat view's reads on the sample archive: TEAM_A has messages 1..30, one second apart; 31 replies to 3. */
@ParameterizedClass
@EnumSource(DatabaseSettings.Kind.class)
class MessagePagesTest {
  @TempDir
  static Path dataDir;

  /** The store of this run of the class, whose archive {@link #open} writes. */
  @Parameter
  DatabaseSettings.Kind store;

  static ArchiveReader reader;
  static MessagePages pages;

  @BeforeParameterizedClassInvocation
  static void open(DatabaseSettings.Kind kind) {
    ArchiveLocation location = SampleArchive.create(TestArchives.fresh(kind, dataDir));
    try (ArchiveStore store = ArchiveStore.open(location)) {
      MessageRecord reply = new MessageRecord(31, TEAM_A, BORIS, SampleArchive.T0 + 1031, 0, false, "messageText",
          "yes, that one", 3, 0, "{}");
      store.storeMessages(ACCOUNT, TEAM_A, List.of(reply));
      store.applyChanges(ACCOUNT, TEAM_A, List.of(
          edit(5, 2000, "status update 5, fixed"),
          edit(5, 3000, "status update 5, final"),
          new MessageChange.Deleted(List.of(7L))));
    }
    reader = ArchiveReader.openExisting(location);
    pages = reader.pages();
  }

  private static MessageChange edit(long messageId, int secondsAfterT0, String text) {
    String content = "{\"@type\":\"messageText\",\"text\":{\"text\":\"" + text + "\"}}";
    return new MessageChange.Edited(messageId, SampleArchive.T0 + secondsAfterT0, content, text);
  }

  @AfterParameterizedClassInvocation
  static void close() {
    reader.close();
  }

  private static List<Long> ids(MessagePage page) {
    return page.messages().stream().map(message -> message.message().messageId()).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void theNewestPageComesOldestFirstAndSaysThereIsMore() {
    MessagePage page = pages.page(ACCOUNT, Set.of(TEAM_A), Anchor.NEWEST, 0, 10);
    assertThat(ids(page)).isEqualTo(range(22, 31));
    assertThat(page.hasOlder()).isTrue();
    assertThat(page.hasNewer()).isFalse();
  }

  @Test
  void pagesBeforeAndAfterAMessageLeaveItOut() {
    MessagePage older = pages.page(ACCOUNT, Set.of(TEAM_A), Anchor.BEFORE, 22, 10);
    assertThat(ids(older)).isEqualTo(range(12, 21));
    assertThat(older.hasOlder()).isTrue();
    assertThat(older.hasNewer()).isTrue();
    MessagePage first = pages.page(ACCOUNT, Set.of(TEAM_A), Anchor.BEFORE, 5, 10);
    assertThat(ids(first)).isEqualTo(range(1, 4));
    assertThat(first.hasOlder()).isFalse();
    MessagePage newer = pages.page(ACCOUNT, Set.of(TEAM_A), Anchor.AFTER, 25, 10);
    assertThat(ids(newer)).isEqualTo(range(26, 31));
    assertThat(newer.hasNewer()).isFalse();
    assertThat(newer.hasOlder()).isTrue();
  }

  @Test
  void aPageAroundAMessageHoldsItWithOlderAndNewerOnes() {
    MessagePage around = pages.page(ACCOUNT, Set.of(TEAM_A), Anchor.AROUND, 15, 10);
    assertThat(ids(around)).isEqualTo(range(11, 20));
    assertThat(around.hasOlder()).isTrue();
    assertThat(around.hasNewer()).isTrue();
    MessagePage atTheStart = pages.page(ACCOUNT, Set.of(TEAM_A), Anchor.AROUND, 2, 10);
    assertThat(ids(atTheStart)).isEqualTo(range(1, 7));
    assertThat(atTheStart.hasOlder()).isFalse();
  }

  @Test
  void anAnchorTheArchiveLacksReadsAsTheNewestPage() {
    assertThat(ids(pages.page(ACCOUNT, Set.of(TEAM_A), Anchor.AROUND, 999, 3))).isEqualTo(range(29, 31));
  }

  @Test
  void anUpgradedGroupPagesAsOneHistoryByDate() {
    MessagePage page = pages.page(ACCOUNT, reader.historyOf(ACCOUNT, NEW_GROUP), Anchor.NEWEST, 0, 10);
    assertThat(ids(page)).containsExactly(1L, 2L, 1L << 20, 2L << 20);
    assertThat(page.messages().get(0).message().chatId()).isEqualTo(OLD_GROUP);
  }

  @Test
  void aMessageCarriesWhatItRepliesToItsEditCountAndItsDeletion() {
    MessagePage page = pages.page(ACCOUNT, Set.of(TEAM_A), Anchor.NEWEST, 0, 40);
    MessagePages.PageMessage reply = page.messages().stream()
        .filter(message -> message.message().messageId() == 31).findFirst().orElseThrow();
    assertThat(reply.replyText()).isEqualTo("status update 3");
    assertThat(reply.replySender()).isEqualTo("Anna Smith");
    MessagePages.PageMessage edited = page.messages().stream()
        .filter(message -> message.message().messageId() == 5).findFirst().orElseThrow();
    assertThat(edited.earlierVersions()).isEqualTo(2);
    assertThat(edited.message().text()).isEqualTo("status update 5, final");
    assertThat(page.messages().stream().filter(message -> message.message().deleted())
        .map(message -> message.message().messageId())).containsExactly(7L);
  }

  @Test
  void earlierVersionsComeOldestFirstAndAnUnknownMessageHasNone() {
    List<MessageVersion> versions = pages.versions(ACCOUNT, Set.of(TEAM_A), 5).orElseThrow();
    assertThat(versions).extracting(MessageVersion::text)
        .containsExactly("status update 5", "status update 5, fixed");
    assertThat(versions.get(0).editDate()).as("the original was never edited").isNull();
    assertThat(versions.get(1).editDate().getEpochSecond()).isEqualTo(SampleArchive.T0 + 2000);
    assertThat(pages.versions(ACCOUNT, Set.of(TEAM_A), 6).orElseThrow()).isEmpty();
    assertThat(pages.versions(ACCOUNT, Set.of(TEAM_A), 999)).isEmpty();
  }

  @Test
  void onlyChatsTheArchiveHoldsAreKnown() {
    assertThat(pages.knowsChat(ACCOUNT, TEAM_A)).isTrue();
    assertThat(pages.knowsChat(ACCOUNT, ANNA)).isTrue();
    assertThat(pages.knowsChat(ACCOUNT, 424242)).isFalse();
    assertThat(pages.knowsChat("someone-else", TEAM_A)).isFalse();
  }
}
