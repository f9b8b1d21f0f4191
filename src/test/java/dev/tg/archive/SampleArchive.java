package dev.tg.archive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A small archive with known messages in Latin, Cyrillic and CJK text, for the read side's tests. */
public final class SampleArchive {
  public static final String ACCOUNT = "demo";
  public static final long ANNA = 6_000_000_001L;
  public static final long BORIS = 6_000_000_002L;
  public static final long ANNA_CHAT = ANNA;
  public static final long BORIS_CHAT = BORIS;
  public static final long OLD_GROUP = -900_000_001L;
  public static final long NEW_GROUP = -1_001_700_000_001L;
  public static final long TEAM_A = -1_001_700_000_010L;
  public static final long TEAM_B = -1_001_700_000_011L;
  /** 2024-01-01T00:00:00Z. */
  public static final int T0 = 1_704_067_200;

  private SampleArchive() {}

  /** Writes the archive into {@code dataDir}/archive.db and returns its path. */
  public static Path create(Path dataDir) {
    Path file = dataDir.resolve("archive.db");
    create(new ArchiveLocation.SqliteFile(file));
    return file;
  }

  /** Writes the archive there, and returns where. */
  public static ArchiveLocation create(ArchiveLocation location) {
    try (ArchiveStore store = ArchiveStore.open(location)) {
      store.saveChat(ACCOUNT, new ChatRecord(ANNA_CHAT, "private", "Anna Smith", 2, 0));
      store.saveChat(ACCOUNT, new ChatRecord(BORIS_CHAT, "private", "Борис Петров", 2, 0));
      store.saveChat(ACCOUNT, new ChatRecord(OLD_GROUP, "group", "Family", 12, NEW_GROUP));
      store.saveChat(ACCOUNT, new ChatRecord(NEW_GROUP, "supergroup", "Family", 150, 0));
      store.saveChat(ACCOUNT, new ChatRecord(TEAM_A, "supergroup", "Team Alpha", 30, 0));
      store.saveChat(ACCOUNT, new ChatRecord(TEAM_B, "supergroup", "Team Beta", 30, 0));
      store.storeMessages(ACCOUNT, ANNA_CHAT, List.of(
          message(ANNA_CHAT, 1, ANNA, 0, "Hello, see you at the Meeting tomorrow"),
          message(ANNA_CHAT, 2, 0, 60, "ok, with \"quotes\", commas\nand a line break"),
          message(ANNA_CHAT, 3, ANNA, 120, "会议在明天 こんにちは")));
      store.storeMessages(ACCOUNT, BORIS_CHAT, List.of(
          message(BORIS_CHAT, 1, BORIS, 30, "привет, завтра встреча"),
          message(BORIS_CHAT, 2, BORIS, 90, "ВСТРЕЧА отменена")));
      store.storeMessages(ACCOUNT, OLD_GROUP, List.of(
          message(OLD_GROUP, 1, ANNA, 10, "before the upgrade"),
          message(OLD_GROUP, 2, BORIS, 20, "still the basic group")));
      store.storeMessages(ACCOUNT, NEW_GROUP, List.of(
          message(NEW_GROUP, 1 << 20, ANNA, 200, "after the upgrade"),
          message(NEW_GROUP, 2 << 20, BORIS, 300, "照片 in the supergroup")));
      List<MessageRecord> many = new ArrayList<>();
      for (int i = 1; i <= 30; i++) {
        many.add(message(TEAM_A, i, ANNA, 1000 + i, "status update " + i));
      }
      store.storeMessages(ACCOUNT, TEAM_A, many);
      store.replaceContacts(ACCOUNT, List.of(
          new UserRecord(ANNA, "Anna", "Smith", "anna", "15550001", true, true, T0, "{}"),
          new UserRecord(BORIS, "Борис", "Петров", null, "15550002", true, false, 0, "{}")));
    }
    return location;
  }

  public static MessageRecord message(long chatId, long id, long senderId, int secondsAfterT0, String text) {
    return new MessageRecord(id, chatId, senderId, T0 + secondsAfterT0, 0, senderId == 0, "messageText", text, 0, 0,
        "{\"@type\":\"message\",\"content\":{\"@type\":\"messageText\"}}");
  }
}
