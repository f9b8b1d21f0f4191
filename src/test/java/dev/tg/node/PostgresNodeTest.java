package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tg.cluster.AccountLeases;
import dev.tg.cluster.AccountLeases.Lease;
import dev.tg.cluster.SessionStore;
import dev.tg.cluster.SessionStore.SavedSession;
import dev.tg.cluster.SharedDatabase;
import dev.tg.cluster.TestPostgres;
import dev.tg.config.DatabaseSettings.Postgres;
import dev.tg.simulator.ChatKind;
import dev.tg.simulator.LoginScript;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes with {@code tg.storage.database = postgres}: the journal on the embedded PostgreSQL, and an account run
 * only by the node that holds its lease there.
 */
class PostgresNodeTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dataDirA;

  @TempDir
  Path dataDirB;

  @Test
  void aNodeOnPostgresArchivesTheDemoWorldAndResumesAfterARestart() throws Exception {
    Postgres database = TestPostgres.freshDatabase();
    try (TestNode node = TestNode.start(dataDirA, world(), settings(database, "node-a"))) {
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(node::enabledChatsComplete);
      List<Long> synced = GroundTruth.chatsWhere(node, "sync_enabled = 1 AND access = 'active'");
      assertThat(GroundTruth.problems(node, synced, true)).isEmpty();
      assertThat(count(database, "SELECT count(*) FROM event_journal")).as("events in PostgreSQL").isPositive();
      assertThat(Files.exists(node.settings().journalFile())).as("no SQLite journal").isFalse();

      List<Long> dms = node.world().chats().stream().filter(chat -> chat.kind() == ChatKind.PRIVATE)
          .map(chat -> chat.id()).filter(synced::contains).toList();
      node.stop();
      dms.forEach(chat -> node.world().postMessage(chat, "while down"));
      node.restart();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> ((Number) node.query(
          "SELECT count(*) AS n FROM messages WHERE text = 'while down'").get(0).get("n")).intValue() == dms.size());
      assertThat(GroundTruth.problems(node, synced, true)).isEmpty();
      // the restart took the lease again: released at the stop, so a new holder
      assertThat(lease(database).fencing()).isEqualTo(2);
    }
  }

  @Test
  void aSecondNodeWithTheSameAccountWaitsForTheLeaseAndTakesOverWhenTheFirstStops() throws Exception {
    Postgres database = TestPostgres.freshDatabase();
    SimulatedTelegram worldB = world();
    try (TestNode a = TestNode.start(dataDirA, world(), settings(database, "node-a"))) {
      await().atMost(WAIT).ignoreExceptions().until(() -> a.status().path("connection_state").asText()
          .equals("ready"));
      Lease held = lease(database);
      assertThat(held.holder()).startsWith("node-a/");
      try (TestNode b = TestNode.start(dataDirB, worldB, settings(database, "node-b"))) {
        // the first node renews meanwhile, so the time shown moves on
        await().atMost(WAIT).until(() -> b.status().path("connection_state").asText()
            .startsWith("waiting for lease (held by " + held.holder() + " until "));
        assertThat(worldB.requestLog()).as("no TDLib client of the waiting node asked anything").isEmpty();
        assertThat(b.get("/chats").isArray()).isTrue();
        assertThat(b.get("/chats")).as("the waiting node answers at once, with none of the account's chats")
            .isEmpty();

        a.stop();
        await().atMost(WAIT).ignoreExceptions().until(() -> b.status().path("connection_state").asText()
            .equals("ready"));
        Lease taken = lease(database);
        assertThat(taken.holder()).startsWith("node-b/");
        assertThat(taken.fencing()).isEqualTo(held.fencing() + 1);
        assertThat(a.world().requestLog()).as("the first node closed its client before the second began")
            .anyMatch(request -> request.type().equals("close"));
      }
    }
  }

  @Test
  void aLeaseLeftByANodeThatDiedIsTakenOnceItExpires() throws Exception {
    Postgres database = TestPostgres.freshDatabase();
    new SharedDatabase(database).migrate();
    // a node that took the lease and died: it neither renews nor releases
    AccountLeases leases = new AccountLeases(new SharedDatabase(database), Clock.systemUTC());
    Lease dead = leases.acquire(NodeLauncher.DEMO_ACCOUNT, "dead-node/1", Duration.ofHours(1));
    SimulatedTelegram world = world();
    try (TestNode node = TestNode.start(dataDirA, world, settings(database, "node-a"))) {
      await().atMost(WAIT).until(() -> node.status().path("connection_state").asText()
          .equals("waiting for lease (held by dead-node/1 until " + dead.expiresAt() + ")"));
      assertThat(world.requestLog()).as("no TDLib client asked anything while the lease was held").isEmpty();
      // the hour passes
      execute(database, "UPDATE account_lease SET expires_at = now()");
      await().atMost(WAIT).ignoreExceptions().until(() -> node.status().path("connection_state").asText()
          .equals("ready"));
      assertThat(lease(database).fencing()).isEqualTo(dead.fencing() + 1);
    }
  }

  @Test
  void aNodeWhoseLeaseWasTakenStopsTheAccountAndWritesNothingMoreOfIt() throws Exception {
    Postgres database = TestPostgres.freshDatabase();
    SimulatedTelegram world = world();
    Map<String, Object> slow = settings(database, "node-a");
    // the backfill still runs when the lease is taken, and the next renewal is far off
    slow.put("tg.sync.rate-limits.global-rps", 20);
    slow.put("tg.cluster.lease-renew-interval", "15s");
    try (TestNode node = TestNode.start(dataDirA, world, slow)) {
      await().atMost(WAIT).ignoreExceptions().until(() -> count(database, "SELECT count(*) FROM messages") > 0);
      // another runner takes the account over (as if this node had missed its renewals past the ttl)
      execute(database, "UPDATE account_lease SET holder = 'thief/1', expires_at = now() + interval '1 hour', "
          + "fencing = fencing + 1");
      String archived = archiveFigures(database);
      await().atMost(WAIT).ignoreExceptions().until(() -> node.status().path("connection_state").asText()
          .startsWith("waiting for lease (lost: another node has taken it, an archive write found"));
      assertThat(world.requestLog()).as("the account's TDLib client was closed")
          .anyMatch(request -> request.type().equals("close"));
      node.archive().written().toCompletableFuture().join();
      assertThat(archiveFigures(database)).as("the archive since the lease was taken").isEqualTo(archived);
      assertThat(count(database, "SELECT count(*) FROM chat_sync_state WHERE sync_enabled = 1 "
          + "AND history_complete = 0")).as("chats whose backfill the taking cut short").isPositive();
    }
  }

  /** What a node writes for an account: messages, chat rows, read models, job rows. */
  private static String archiveFigures(Postgres database) throws SQLException {
    return count(database, "SELECT count(*) FROM messages") + " messages, "
        + count(database, "SELECT count(*) FROM chats") + " chats, "
        + count(database, "SELECT count(*) FROM sync_jobs") + " jobs, "
        + count(database, "SELECT count(*) FROM sync_jobs WHERE status <> 'running'") + " jobs ended, "
        + count(database, "SELECT coalesce(sum(synced_messages), 0) FROM chat_sync_state") + " synced";
  }

  @Test
  void aNodeWhoseRenewalFailsStopsTheAccountAndTakesItAgainOnceItCan() throws Exception {
    Postgres database = TestPostgres.freshDatabase();
    SimulatedTelegram world = world();
    try (TestNode node = TestNode.start(dataDirA, world, settings(database, "node-a"))) {
      await().atMost(WAIT).ignoreExceptions().until(() -> node.status().path("connection_state").asText()
          .equals("ready"));
      execute(database, "ALTER TABLE account_lease RENAME TO account_lease_away");
      await().atMost(WAIT).ignoreExceptions().until(() -> node.status().path("connection_state").asText()
          .startsWith("waiting for lease (database: "));
      assertThat(world.requestLog()).anyMatch(request -> request.type().equals("close"));

      execute(database, "ALTER TABLE account_lease_away RENAME TO account_lease");
      await().atMost(WAIT).ignoreExceptions().until(() -> node.status().path("connection_state").asText()
          .equals("ready"));
    }
  }

  @Test
  void aRenewalHangingOnTheDatabaseStopsTheAccountWhenTheLeaseRunsOut() throws Exception {
    Postgres database = TestPostgres.freshDatabase();
    SimulatedTelegram world = world();
    Map<String, Object> settings = settings(database, "node-a");
    settings.put("tg.cluster.lease-ttl", "2s");
    settings.put("tg.cluster.lease-renew-interval", "1s");
    try (TestNode node = TestNode.start(dataDirA, world, settings)) {
      await().atMost(WAIT).ignoreExceptions().until(() -> node.status().path("connection_state").asText()
          .equals("ready"));
      // the row locked by another transaction: the node's next renewal waits for it (up to the socket timeout)
      try (Connection locker = new SharedDatabase(database).connect()) {
        locker.setAutoCommit(false);
        try (Statement statement = locker.createStatement()) {
          statement.execute("SELECT * FROM account_lease FOR UPDATE");
        }
        // the next attempt to take it waits on the lock too, so the state stays
        await().atMost(WAIT).ignoreExceptions().until(() -> node.status().path("connection_state").asText()
            .equals("waiting for lease (lost: it ran out before a renewal was confirmed)"));
        assertThat(world.requestLog()).anyMatch(request -> request.type().equals("close"));
        locker.rollback();
      }
    }
  }

  @Test
  void theSessionSavedByTheNodeThatRanTheAccountIsRestoredOnTheNextWhichNeedsNoLogin() throws Exception {
    Postgres database = TestPostgres.freshDatabase();
    SessionStore sessions = new SessionStore(new SharedDatabase(database), Clock.systemUTC());
    // node-b's TDLib asks for a code unless it finds a session: alone, it is not logged in
    LoginScript byCode = LoginScript.code("12345");
    try (TestNode b = TestNode.start(dataDirB, world(), settings(database, "node-b"), byCode)) {
      await().atMost(WAIT).ignoreExceptions().until(() -> b.status().toString().contains("is not logged in"));
    }
    assertThat(sessions.load(NodeLauncher.DEMO_ACCOUNT)).as("no session to save before a login").isEmpty();

    Map<String, Object> savingOften = settings(database, "node-a");
    savingOften.put("tg.cluster.session-save-interval", "200ms");
    SimulatedTelegram world = world();
    try (TestNode a = TestNode.start(dataDirA, world, savingOften)) {
      await().atMost(WAIT).ignoreExceptions().until(() -> a.status().path("connection_state").asText()
          .equals("ready"));
      await().atMost(WAIT).until(() -> sessions.load(NodeLauncher.DEMO_ACCOUNT).isPresent());
      assertThat(lease(database).heldBy(sessions.load(NodeLauncher.DEMO_ACCOUNT).orElseThrow().holder()))
          .as("saved while running, by the holder").isTrue();
    }
    SavedSession saved = sessions.load(NodeLauncher.DEMO_ACCOUNT).orElseThrow();
    assertThat(saved.holder()).startsWith("node-a/");

    List<Long> dms = world.chats().stream().filter(chat -> chat.kind() == ChatKind.PRIVATE)
        .map(chat -> chat.id()).toList();
    dms.forEach(chat -> world.postMessage(chat, "between the nodes"));
    int requestsOfA = world.requestLog().size();
    try (TestNode b = TestNode.start(dataDirB, world, settings(database, "node-b"), byCode)) {
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(b::enabledChatsComplete);
      assertThat(world.requestLog().subList(requestsOfA, world.requestLog().size()))
          .as("node-b logged in with node-a's session, asked for no code")
          .noneMatch(request -> request.type().startsWith("setAuthentication")
              || request.type().equals("checkAuthenticationCode"));
      Path binlog = b.settings().sessionDir(NodeLauncher.DEMO_ACCOUNT).resolve("db/td_test.binlog");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(binlog))).isEqualTo("rw-------");
      // the shared archive: what node-a stored, and what node-b caught up on, each message once
      List<Long> synced = GroundTruth.chatsWhere(b, "sync_enabled = 1 AND access = 'active'");
      long expected = dms.stream().filter(synced::contains).count();
      assertThat(expected).isPositive();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> ((Number) b.query(
          "SELECT count(*) AS n FROM messages WHERE text = 'between the nodes'").get(0).get("n")).longValue()
          == expected);
      assertThat(GroundTruth.problems(b, synced, true)).isEmpty();
    }
    assertThat(sessions.load(NodeLauncher.DEMO_ACCOUNT).orElseThrow().holder())
        .as("saved again by node-b when it stopped").startsWith("node-b/");
  }

  private static SimulatedTelegram world() {
    return new SimulatedTelegram(WorldSpec.tiny(32).withLiveTraffic(0, 0, 0), Instant.now(), Clock.systemUTC());
  }

  private static Map<String, Object> settings(Postgres database, String nodeId) {
    Map<String, Object> settings = TestNode.fast();
    settings.putAll(TestPostgres.settings(database));
    settings.put("tg.cluster.node-id", nodeId);
    // a lease changes hands by release or by the test's hand, never by the ttl: a slow machine loses none
    settings.put("tg.cluster.lease-ttl", "30s");
    settings.put("tg.cluster.lease-renew-interval", "500ms");
    return settings;
  }

  private static Lease lease(Postgres database) throws SQLException {
    return new AccountLeases(new SharedDatabase(database), Clock.systemUTC()).current(NodeLauncher.DEMO_ACCOUNT)
        .orElseThrow();
  }

  private static long count(Postgres database, String sql) throws SQLException {
    try (Connection connection = new SharedDatabase(database).connect();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }

  private static void execute(Postgres database, String sql) throws SQLException {
    try (Connection connection = new SharedDatabase(database).connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
