package dev.tg.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tg.archive.ArchiveException;
import dev.tg.archive.ArchiveLocation;
import dev.tg.archive.ArchiveStore;
import dev.tg.archive.ChatRecord;
import dev.tg.archive.MessageChange;
import dev.tg.archive.SampleArchive;
import dev.tg.archive.SyncStateRow;
import dev.tg.archive.UserRecord;
import dev.tg.cluster.AccountLeases.Lease;
import dev.tg.config.DatabaseSettings.Postgres;
import dev.tg.simulator.ManualClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The archive's writes of an account on a real PostgreSQL are fenced by the account's lease: once another node has
 * taken it, nothing more of the old holder's lands, and a write under way holds the taking back until it commits.
 */
class LeaseFenceTest {
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final String FENCED = "fenced";
  private static final String KEPT = "kept";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final LeaseFence fence = new LeaseFence();
  private final AtomicInteger takenOver = new AtomicInteger();
  private Postgres postgres;
  private SharedDatabase database;
  private AccountLeases leases;
  private ArchiveStore store;

  @BeforeEach
  void open() throws SQLException {
    postgres = TestPostgres.freshDatabase();
    database = new SharedDatabase(postgres);
    database.migrate();
    leases = new AccountLeases(database, clock);
    store = ArchiveStore.open(new ArchiveLocation.PostgresServer(postgres));
    store.fenceWith(fence);
    fence.hold(leases.acquire(FENCED, "node-a", TTL), takenOver::incrementAndGet);
    fence.hold(leases.acquire(KEPT, "node-a", TTL), () -> {
      throw new AssertionError("the kept account's lease was not taken");
    });
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** node-b takes {@link #FENCED} over once node-a's lease ran out; node-a still holds {@link #KEPT}. */
  private Lease takenOverByNodeB() throws SQLException {
    clock.advance(TTL);
    leases.renew(leases.current(KEPT).orElseThrow(), TTL);
    Lease taken = leases.acquire(FENCED, "node-b", TTL);
    assertThat(taken.heldBy("node-b")).isTrue();
    return taken;
  }

  @Test
  void afterAnotherNodeTookTheLeaseEveryWriteOfTheAccountIsRefusedAndNothingOfItLands() throws SQLException {
    store.storeMessages(FENCED, 1, List.of(SampleArchive.message(1, 1, 7, 1, "while node-a holds the lease")));
    takenOverByNodeB();

    List<Runnable> writes = List.of(
        () -> store.storeMessages(FENCED, 1, List.of(SampleArchive.message(1, 2, 7, 2, "late"))),
        () -> store.storePage(FENCED, 1, List.of(SampleArchive.message(1, 3, 7, 3, "late page")), 3, 3),
        () -> store.applyChanges(FENCED, 1, List.of(new MessageChange.Deleted(List.of(1L)))),
        () -> store.saveChat(FENCED, new ChatRecord(1, "private", "renamed late", 2, 0)),
        () -> store.saveUser(FENCED, new UserRecord(7, "Late", "", null, "", true, false, 0, "{}")),
        () -> store.jobStarted(FENCED, 1, "backfill", 1, 0),
        () -> store.onConnection(FENCED, connection -> connection.createStatement()
            .executeUpdate("UPDATE chats SET title = 'late' WHERE account = '" + FENCED + "'")));
    for (Runnable write : writes) {
      assertThatThrownBy(write::run).isInstanceOf(ArchiveException.class)
          .hasMessageContaining("lease of account " + FENCED);
    }
    assertThat(takenOver).as("the node hears of it once, at the first refused write").hasValue(1);
    assertThat(count("SELECT count(*) FROM messages WHERE account = ? AND deleted = 0", FENCED)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM chats WHERE account = ?", FENCED)).isZero();
    assertThat(count("SELECT count(*) FROM users WHERE account = ?", FENCED)).isZero();
    assertThat(count("SELECT count(*) FROM sync_jobs WHERE account = ?", FENCED)).isZero();
  }

  @Test
  void inAGroupARefusedWriteFailsAloneAndTheOthersLand() throws SQLException {
    takenOverByNodeB();
    List<ArchiveStore.Outcome> outcomes = store.runGrouped(List.of(
        group -> group.storeMessages(KEPT, 1, List.of(SampleArchive.message(1, 1, 7, 1, "first"))),
        group -> group.storeMessages(FENCED, 1, List.of(SampleArchive.message(1, 1, 7, 1, "late"))),
        group -> group.storeMessages(KEPT, 1, List.of(SampleArchive.message(1, 2, 7, 2, "second")))));
    assertThat(outcomes).extracting(outcome -> outcome.failure() == null).containsExactly(true, false, true);
    assertThat(outcomes.get(1).failure()).isInstanceOf(ArchiveException.class);
    assertThat(count("SELECT count(*) FROM messages WHERE account = ?", KEPT)).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM messages WHERE account = ?", FENCED)).isZero();
  }

  @Test
  void aBatchOfSyncStateRowsKeepsTheRowsOfTheAccountsStillHeld() throws SQLException {
    takenOverByNodeB();
    store.saveSyncStates(List.of(FENCED, KEPT), List.of(syncState(1), syncState(2)));
    assertThat(count("SELECT count(*) FROM chat_sync_state WHERE account = ?", FENCED)).isZero();
    assertThat(count("SELECT count(*) FROM chat_sync_state WHERE account = ?", KEPT)).isEqualTo(1);
  }

  @Test
  void aWriteUnderWayHoldsTheTakingBackUntilItCommitsAndTheNextWriteIsRefused() throws Exception {
    CountDownLatch inWrite = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<Integer> write = CompletableFuture.supplyAsync(() -> store.onConnection(FENCED, connection -> {
      inWrite.countDown();
      await(finish);
      return connection.createStatement().executeUpdate("INSERT INTO chats (account, chat_id, chat_type, title, "
          + "member_count, updated_at) VALUES ('" + FENCED + "', 1, 'private', 'written under the lease', 2, "
          + "'2026-01-01T00:00:00Z')");
    }));
    assertThat(inWrite.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Lease> taking = CompletableFuture.supplyAsync(() -> {
      try {
        return takenOverByNodeB();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(this::aTakingWaitsOnTheLeasesRow);
    assertThat(taking).isNotDone();

    finish.countDown();
    assertThat(write.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(taking.get(30, TimeUnit.SECONDS).fencing()).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM chats WHERE account = ?", FENCED)).isEqualTo(1);
    assertThatThrownBy(() -> store.saveChat(FENCED, new ChatRecord(1, "private", "after the taking", 2, 0)))
        .isInstanceOf(ArchiveException.class);
  }

  @Test
  void anAccountWhoseLeaseWasDroppedHereIsRefusedAtOnce() {
    fence.drop(FENCED);
    assertThatThrownBy(() -> store.saveChat(FENCED, new ChatRecord(1, "private", "dropped", 2, 0)))
        .isInstanceOf(ArchiveException.class).hasMessageContaining("lease of account " + FENCED);
    assertThat(takenOver).as("dropped here, not taken").hasValue(0);
    store.saveChat(KEPT, new ChatRecord(1, "private", "still held", 2, 0));
  }

  private boolean aTakingWaitsOnTheLeasesRow() throws SQLException {
    return count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        + "AND query LIKE 'INSERT INTO account_lease%' AND datname = current_database()") == 1;
  }

  private long count(String sql, String... values) throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        select.setString(i + 1, values[i]);
      }
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static SyncStateRow syncState(long chatId) {
    return new SyncStateRow(chatId, "private", "chat " + chatId, 2, 10, 1, 1, true, true, "ok", 10, 10, null, null);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
