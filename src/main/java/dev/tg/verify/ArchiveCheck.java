package dev.tg.verify;

import com.typesafe.config.Config;
import dev.tg.archive.ArchiveLocation;
import dev.tg.chat.ChatState;
import dev.tg.chat.ChatSync;
import dev.tg.config.NodeSettings;
import dev.tg.node.NodeLauncher;
import dev.tg.simulator.ChatKind;
import dev.tg.simulator.SimChat;
import dev.tg.simulator.SimMessage;
import dev.tg.simulator.SimulatedTelegram;
import java.io.PrintStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;

/**
 * Compares a stopped demo node's archive with the simulated world's ground truth and its own journal: the
 * invariants of architecture §4 (nothing lost, nothing twice, cursors never pass an unstored message) and the
 * agreement of the {@code chat_sync_state} read model with the journal.
 *
 * <p>The world is rebuilt from the node's configuration (seed, world kind, live traffic) and the epoch kept in the
 * data directory, at the current time: it holds every message the node could have seen, and more. A message that
 * exists there with an id inside a chat's covered range ({@code backward_cursor..forward_cursor}, everything up to
 * {@code forward_cursor} once history is complete) must be archived; a message deleted in the world may be absent.
 * The text, edit versions and deletion marks of archived messages are compared too ({@link ContentCheck}).
 */
public final class ArchiveCheck {

  /** The figures of one check; {@link #failures()} is the sum of those that must be 0. */
  public record Report(
      int chats,
      int enabledChats,
      long messagesInRange,
      long archivedRows,
      long missing,
      long duplicated,
      long cursorViolations,
      long disagreements,
      long unknown,
      long chatsNotTakenUp,
      Content content,
      List<String> details) {

    public long failures() {
      return missing + duplicated + cursorViolations + disagreements + unknown + chatsNotTakenUp + content.failures();
    }

    public void print(PrintStream out) {
      out.printf("chats in journal: %d (sync enabled: %d)%n", chats, enabledChats);
      out.printf("messages in covered ranges: %d, archived rows: %d%n", messagesInRange, archivedRows);
      out.printf("missing: %d%n", missing);
      out.printf("duplicated: %d%n", duplicated);
      out.printf("cursor violations: %d%n", cursorViolations);
      out.printf("journal/archive disagreements: %d%n", disagreements);
      out.printf("unknown messages: %d%n", unknown);
      out.printf("chats of the account without a journal: %d%n", chatsNotTakenUp);
      content.print(out);
      details.stream().limit(50).forEach(line -> out.println("  " + line));
      if (details.size() > 50) {
        out.printf("  ... and %d more%n", details.size() - 50);
      }
    }
  }

  /**
   * Edits and deletions of archived messages (see {@link ContentCheck}): those the world made while the node ran,
   * those made while it was down and what the re-sweep recovered of them, and content the world never had.
   */
  public record Content(
      long whileRunning,
      long whileRunningNotRecorded,
      long whileDown,
      long recovered,
      long notRecoveredInWindow,
      long notRecoveredOutsideWindow,
      long wrong) {

    public long failures() {
      return whileRunningNotRecorded + notRecoveredInWindow + wrong;
    }

    void print(PrintStream out) {
      out.printf("changes while the node ran: %d, not recorded: %d%n", whileRunning, whileRunningNotRecorded);
      out.printf("changes while the node was down: %d, recovered: %d, not recorded inside the re-sweep window: %d%n",
          whileDown, recovered, notRecoveredInWindow);
      out.printf("changes while down, not recorded, outside the re-sweep window (not a failure: nothing reads "
          + "them again): %d%n", notRecoveredOutsideWindow);
      out.printf("content the world never had: %d%n", wrong);
    }
  }

  private ArchiveCheck() {}

  /**
   * Checks the node whose configuration is {@code config}; the node must be stopped. The world is taken as it was
   * at {@code at} (when the node stopped: later deletions do not excuse a message the node should have stored).
   */
  public static Report check(Config config, Instant at) {
    return check(config, at, NodeRuns.UNKNOWN);
  }

  /**
   * As {@link #check(Config, Instant)}, judging each edit and deletion by when the world made it: while one of
   * {@code runs} heard Telegram, or while the node was down.
   */
  static Report check(Config config, Instant at, NodeRuns runs) {
    NodeSettings settings = NodeSettings.from(config);
    ArchiveLocation location = ArchiveLocation.of(settings);
    if (!settings.database().onPostgres() && !Files.exists(settings.journalFile()) || !location.exists()) {
      throw new IllegalStateException("no node data in " + settings.dataDir());
    }
    Map<String, JournalReplay.Chat> journal = JournalReplay.replay(config, settings);
    Map<String, SimulatedTelegram> worlds = new HashMap<>();
    for (int i = 0; i < settings.demo().accounts(); i++) {
      String account = i == 0 ? NodeLauncher.DEMO_ACCOUNT : NodeLauncher.DEMO_ACCOUNT + "-" + (i + 1);
      SimulatedTelegram running = NodeLauncher.demoWorld(settings, account, settings.demo().seed() + i);
      running.close();
      worlds.put(account, new SimulatedTelegram(running.spec(), running.epoch(), Clock.fixed(at, ZoneOffset.UTC)));
    }
    try (Connection archive = location.openForReading()) {
      return new Checker(archive, journal, worlds, runs, settings.sync().resweep().window()).run();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the archive " + location.describe(), e);
    } finally {
      worlds.values().forEach(SimulatedTelegram::close);
    }
  }

  private static final class Checker {
    private final Connection archive;
    private final Map<String, JournalReplay.Chat> journal;
    private final Map<String, SimulatedTelegram> worlds;
    private final List<String> details = new ArrayList<>();
    private int enabledChats;
    private long messagesInRange;
    private long missing;
    private long cursorViolations;
    private long disagreements;
    private long unknown;
    private final NodeRuns runs;
    private final ContentCheck content;

    Checker(Connection archive, Map<String, JournalReplay.Chat> journal, Map<String, SimulatedTelegram> worlds,
        NodeRuns runs, int resweepWindow) {
      this.archive = archive;
      this.journal = journal;
      this.worlds = worlds;
      this.runs = runs;
      this.content = new ContentCheck(runs, resweepWindow, details);
    }

    Report run() throws SQLException {
      Map<String, Map<String, Object>> syncStates = syncStates();
      for (JournalReplay.Chat chat : journal.values()) {
        String key = chat.account() + "|" + chat.chatId();
        compareWithReadModel(chat, syncStates.remove(key));
        if (chat.state().syncing()) {
          enabledChats++;
          checkMessages(chat);
        }
      }
      for (String orphan : syncStates.keySet()) {
        disagreements++;
        details.add("chat_sync_state row without a journal: " + orphan);
      }
      return new Report(journal.size(), enabledChats, messagesInRange, scalar("SELECT COUNT(*) FROM messages"),
          missing, duplicated(), cursorViolations, disagreements, unknown, chatsNotTakenUp(), content.counts(),
          details);
    }

    /**
     * The account's chats that the node never took up: every chat of a chat list, and the basic group a supergroup
     * of the journal was upgraded from (in no list, found through the supergroup), has a journal once the node has
     * loaded its lists. Secret chats are only the node's once accepted.
     */
    private long chatsNotTakenUp() {
      long count = 0;
      for (Map.Entry<String, SimulatedTelegram> world : worlds.entrySet()) {
        String prefix = ChatSync.persistenceIdPrefix(world.getKey());
        for (SimChat chat : world.getValue().chats()) {
          boolean listed = chat.list() != SimChat.ChatList.NONE;
          JournalReplay.Chat successor = chat.kind() == ChatKind.BASIC_GROUP && chat.upgradeLinkedChatId() != 0
              ? journal.get(prefix + chat.upgradeLinkedChatId()) : null;
          boolean predecessor = successor != null && successor.state().access() == ChatState.Access.ACTIVE;
          if (chat.kind() != ChatKind.SECRET && (listed || predecessor) && !journal.containsKey(prefix + chat.id())) {
            count++;
            details.add("chat " + chat.id() + " of " + world.getKey() + " has no journal: the node never took it up");
          }
        }
      }
      return count;
    }

    private void checkMessages(JournalReplay.Chat chat) throws SQLException {
      SimulatedTelegram world = worlds.get(chat.account());
      if (world == null) {
        unknown++;
        details.add("chat " + chat.chatId() + " of account " + chat.account() + " that no simulated world has");
        return;
      }
      SortedMap<Long, SimMessage> truth;
      try {
        truth = world.groundTruth(chat.chatId());
      } catch (IllegalArgumentException e) {
        unknown++;
        details.add("chat " + chat.chatId() + " is not in the world of " + chat.account());
        return;
      }
      Map<Long, ContentCheck.Archived> archived = archivedMessages(chat.account(), chat.chatId());
      CoveredRange range = CoveredRange.of(chat.state());
      Set<Long> missingHere = new HashSet<>();
      for (SimMessage message : truth.values()) {
        if (!range.contains(message.id())) {
          continue;
        }
        messagesInRange++;
        if (!archived.containsKey(message.id()) && !message.deleted()) {
          missingHere.add(message.id());
        }
      }
      content.check(chat.chatId(), truth, archived, range, !startedOverInLastRun(chat));
      for (long id : archived.keySet()) {
        if (!truth.containsKey(id)) {
          unknown++;
          details.add("chat " + chat.chatId() + ": archived message " + id + " never existed");
        }
      }
      if (!missingHere.isEmpty()) {
        missing += missingHere.size();
        details.add("chat " + chat.chatId() + ": " + missingHere.size() + " missing in " + describe(range)
            + ", e.g. " + missingHere.stream().sorted().limit(5).toList());
        countCursorViolations(chat, missingHere);
      }
    }

    /** Each step of the journal (the snapshot, then every event) that extended the range over a missing message. */
    private void countCursorViolations(JournalReplay.Chat chat, Set<Long> missingHere) {
      CoveredRange before = CoveredRange.EMPTY;
      ChatState state = chat.baseline();
      List<Object> steps = new ArrayList<>();
      steps.add("recovered state");
      steps.addAll(chat.events());
      for (Object step : steps) {
        if (step instanceof ChatSync.Event event) {
          state = state.apply(event);
        }
        CoveredRange after = CoveredRange.of(state);
        CoveredRange previous = before;
        long passed = missingHere.stream().filter(id -> after.contains(id) && !previous.contains(id)).count();
        if (passed > 0) {
          cursorViolations++;
          details.add("chat " + chat.chatId() + ": " + (step instanceof ChatSync.Event e
              ? e.getClass().getSimpleName() : step) + " moved the cursors to " + describe(after) + " over "
              + passed + " unstored message(s)");
        }
        before = after;
      }
    }

    private void compareWithReadModel(JournalReplay.Chat chat, Map<String, Object> row) {
      ChatState state = chat.state();
      if (!state.described()) {
        return;
      }
      if (row == null) {
        disagreements++;
        details.add("chat " + chat.chatId() + " of " + chat.account() + " has no chat_sync_state row");
        return;
      }
      List<String> differences = new ArrayList<>();
      differ(differences, "forward_cursor", state.forwardCursor(), longOf(row.get("forward_cursor")));
      differ(differences, "backward_cursor", state.backwardCursor(), longOf(row.get("backward_cursor")));
      differ(differences, "history_complete", state.historyComplete() ? 1L : 0L, longOf(row.get("history_complete")));
      differ(differences, "sync_enabled", state.policy().enabled() ? 1L : 0L, longOf(row.get("sync_enabled")));
      differ(differences, "access", state.access().name().toLowerCase(), row.get("access"));
      if (!differences.isEmpty()) {
        disagreements++;
        details.add("chat " + chat.chatId() + " of " + chat.account() + ": journal vs chat_sync_state "
            + String.join(", ", differences));
      }
    }

    private static void differ(List<String> differences, String column, Object journal, Object readModel) {
      if (!Objects.equals(journal, readModel)) {
        differences.add(column + " " + journal + " != " + readModel);
      }
    }

    private static long longOf(Object value) {
      return value == null ? 0 : ((Number) value).longValue();
    }

    private static String describe(CoveredRange range) {
      return range.isEmpty() ? "[]"
          : "[" + (range.low() == Long.MIN_VALUE ? "start" : range.low()) + ", " + range.high() + "]";
    }

    private Map<String, Map<String, Object>> syncStates() throws SQLException {
      Map<String, Map<String, Object>> rows = new HashMap<>();
      try (PreparedStatement select = archive.prepareStatement(
          "SELECT account, chat_id, forward_cursor, backward_cursor, history_complete, sync_enabled, access "
              + "FROM chat_sync_state");
          ResultSet result = select.executeQuery()) {
        while (result.next()) {
          Map<String, Object> row = new HashMap<>();
          for (String column : List.of("forward_cursor", "backward_cursor", "history_complete", "sync_enabled",
              "access")) {
            row.put(column, result.getObject(column));
          }
          rows.put(result.getString("account") + "|" + result.getLong("chat_id"), row);
        }
      }
      return rows;
    }

    /** A chat's archived messages with their earlier versions' texts. */
    private Map<Long, ContentCheck.Archived> archivedMessages(String account, long chatId) throws SQLException {
      Map<Long, List<String>> versions = new HashMap<>();
      forEachRow("SELECT message_id, text FROM message_versions WHERE account = ? AND chat_id = ? "
          + "ORDER BY message_id, version", account, chatId, row -> versions
          .computeIfAbsent(row.getLong(1), id -> new ArrayList<>()).add(row.getString(2)));
      Map<Long, ContentCheck.Archived> messages = new HashMap<>();
      forEachRow("SELECT message_id, text, deleted, archived_at FROM messages WHERE account = ? AND chat_id = ?",
          account, chatId, row -> messages.merge(row.getLong(1), new ContentCheck.Archived(row.getString(2),
              row.getInt(3) != 0, Instant.parse(row.getString(4)).toEpochMilli(),
              versions.getOrDefault(row.getLong(1), List.of())), (first, twice) -> first.deleted() ? first : twice));
      return messages;
    }

    /** Whether the chat loaded its first page again in the last run: it had no re-sweep then. */
    private boolean startedOverInLastRun(JournalReplay.Chat chat) throws SQLException {
      NodeRuns.Run last = runs.last();
      if (last == null) {
        return true;
      }
      long[] since = {0};
      forEachRow("SELECT created_at FROM sync_jobs WHERE account = ? AND chat_id = ? AND job_type = 'initial_load'",
          chat.account(), chat.chatId(), row -> {
            if (!Instant.parse(row.getString(1)).isBefore(last.startedAt())) {
              since[0]++;
            }
          });
      return since[0] > 0;
    }

    private interface RowReader {
      void read(ResultSet row) throws SQLException;
    }

    private void forEachRow(String sql, String account, long chatId, RowReader reader) throws SQLException {
      try (PreparedStatement select = archive.prepareStatement(sql)) {
        select.setString(1, account);
        select.setLong(2, chatId);
        try (ResultSet result = select.executeQuery()) {
          while (result.next()) {
            reader.read(result);
          }
        }
      }
    }

    /** Raw rows beyond the first per (account, chat, message): the UNIQUE key should make this 0. */
    private long duplicated() throws SQLException {
      long extra = scalar("SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM messages "
          + "GROUP BY account, chat_id, message_id HAVING COUNT(*) > 1) repeated");
      if (extra > 0) {
        details.add(extra + " duplicated message row(s)");
      }
      return extra;
    }

    private long scalar(String sql) throws SQLException {
      try (PreparedStatement select = archive.prepareStatement(sql); ResultSet result = select.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }
}
