package dev.tg.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tg.cluster.AccountLeases.Lease;
import dev.tg.cluster.SessionStore.SavedSession;
import dev.tg.simulator.ManualClock;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session copies on a real PostgreSQL: taken only from the current lease, restored where the account goes. */
class SessionStoreTest {
  private static final Duration TTL = Duration.ofSeconds(30);

  private static SharedDatabase database;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final AccountLeases leases = new AccountLeases(database, clock);
  private final SessionStore store = new SessionStore(database, clock);

  @TempDir
  Path nodeA;

  @TempDir
  Path nodeB;

  @BeforeAll
  static void migrate() {
    database = new SharedDatabase(TestPostgres.freshDatabase());
    database.migrate();
  }

  @Test
  void theCurrentHolderSavesAndTheNewestCopyIsLoaded() throws Exception {
    Lease lease = leases.acquire("saved", "node-a", TTL);
    assertThat(store.save(lease, bytes("first"))).isTrue();
    clock.advance(Duration.ofMinutes(5));
    assertThat(store.save(lease, bytes("second"))).isTrue();

    SavedSession loaded = store.load("saved").orElseThrow();
    assertThat(loaded.files()).isEqualTo(bytes("second"));
    assertThat(loaded.savedAt()).isEqualTo(clock.instant());
    assertThat(loaded.holder()).isEqualTo("node-a");
    assertThat(loaded.fencing()).isEqualTo(lease.fencing());
    assertThat(loaded.toString()).as("the session's bytes are secret").doesNotContain("second");
    assertThat(store.load("never-saved")).isEmpty();
  }

  @Test
  void aHolderThatLostTheLeaseCannotOverwriteTheNextHoldersCopy() throws Exception {
    Lease old = leases.acquire("taken-over", "node-a", TTL);
    clock.advance(TTL);
    Lease next = leases.acquire("taken-over", "node-b", TTL);
    assertThat(store.save(next, bytes("node-b's"))).isTrue();

    assertThat(store.save(old, bytes("node-a's, stale"))).as("stale fencing").isFalse();
    assertThat(store.save(new Lease("taken-over", "node-c", next.expiresAt(), next.fencing()), bytes("node-c's")))
        .as("not the holder, though with the current fencing value").isFalse();
    assertThat(store.load("taken-over").orElseThrow().files()).isEqualTo(bytes("node-b's"));
  }

  @Test
  void aStaleFencingValueOfTheSameHolderIsRefused() throws Exception {
    Lease first = leases.acquire("retaken", "node-a", TTL);
    Lease again = leases.acquire("retaken", "node-a", TTL);
    assertThat(again.fencing()).isEqualTo(first.fencing() + 1);
    assertThat(store.save(first, bytes("from the old holding"))).isFalse();
    assertThat(store.load("retaken")).isEmpty();
  }

  @Test
  void noCopyIsTakenUnderAReleasedLeaseOrWithoutOne() throws Exception {
    Lease lease = leases.acquire("released", "node-a", TTL);
    leases.release(lease);
    assertThat(store.save(lease, bytes("after release"))).isFalse();
    assertThat(store.save(new Lease("no-lease", "node-a", clock.instant(), 1), bytes("x"))).isFalse();
    assertThat(store.load("released")).isEmpty();
  }

  @Test
  void aSessionSavedOnOneNodeIsRestoredOnAnotherOwnerOnlyWithoutTheDatabasesItCannotOpen() throws Exception {
    Path sessionA = nodeA.resolve("accounts/acc/tdlib");
    Files.createDirectories(sessionA.resolve("db"));
    Files.writeString(sessionA.resolve("db/td.binlog"), "binlog of node-a");
    Files.writeString(sessionA.resolve("db/db.sqlite"), "not carried");
    Lease a = leases.acquire("acc", "node-a", TTL);
    assertThat(new TdlibSession(store, sessionA).save(a)).isTrue();
    leases.release(a);

    Path sessionB = nodeB.resolve("accounts/acc/tdlib");
    Files.createDirectories(sessionB.resolve("db"));
    Files.writeString(sessionB.resolve("db/td.binlog"), "binlog of an older login on node-b");
    Files.writeString(sessionB.resolve("db/db.sqlite"), "keyed by the old binlog");
    Files.writeString(sessionB.resolve("db/db.sqlite-wal"), "wal");
    leases.acquire("acc", "node-b", TTL);
    TdlibSession onB = new TdlibSession(store, sessionB);
    assertThat(onB.restore("acc")).map(SavedSession::holder).contains("node-a");

    assertThat(Files.readString(sessionB.resolve("db/td.binlog"))).isEqualTo("binlog of node-a");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sessionB.resolve("db/td.binlog"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sessionB.resolve("db"))))
        .isEqualTo("rwx------");
    assertThat(sessionB.resolve("db/db.sqlite")).doesNotExist();
    assertThat(sessionB.resolve("db/db.sqlite-wal")).doesNotExist();
    assertThat(onB.localCopy()).hasValue(a.fencing());
  }

  @Test
  void localFilesThatGrewFromTheStoredCopyAreKept() throws Exception {
    Path session = nodeA.resolve("tdlib");
    Files.createDirectories(session.resolve("db"));
    Files.writeString(session.resolve("db/td_test.binlog"), "saved");
    Lease lease = leases.acquire("grown", "node-a", TTL);
    TdlibSession files = new TdlibSession(store, session);
    assertThat(files.save(lease)).isTrue();
    // TDLib went on writing after the save, then the node died: the local binlog is newer than the copy
    Files.writeString(session.resolve("db/td_test.binlog"), "saved, and more");

    leases.acquire("grown", "node-a", TTL);
    assertThat(files.restore("grown")).isEmpty();
    assertThat(Files.readString(session.resolve("db/td_test.binlog"))).isEqualTo("saved, and more");

    // unless they are gone: then the copy comes back
    Files.delete(session.resolve("db/td_test.binlog"));
    assertThat(files.restore("grown")).isPresent();
    assertThat(Files.readString(session.resolve("db/td_test.binlog"))).isEqualTo("saved");
  }

  @Test
  void aCopyTakenDuringAReindexIsTheNewBinlogAsTdlibWouldTakeIt() throws Exception {
    Path session = nodeA.resolve("tdlib");
    Files.createDirectories(session.resolve("db"));
    // Binlog::do_reindex has unlinked td.binlog and not yet renamed td.binlog.new over it
    Files.writeString(session.resolve("db/td.binlog.new"), "reindexed");
    Lease lease = leases.acquire("reindexed", "node-a", TTL);
    assertThat(new TdlibSession(store, session).save(lease)).isTrue();

    Path other = nodeB.resolve("tdlib");
    new TdlibSession(store, other).restore("reindexed");
    assertThat(Files.readString(other.resolve("db/td.binlog"))).isEqualTo("reindexed");
  }

  @Test
  void nothingIsSavedBeforeTdlibHasASessionAndACopyNamesOnlyTheBinlogs() throws Exception {
    Lease lease = leases.acquire("empty", "node-a", TTL);
    assertThat(new TdlibSession(store, nodeA.resolve("tdlib")).save(lease)).isFalse();
    assertThat(store.load("empty")).isEmpty();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("../../escaped"));
      zip.write(1);
    }
    assertThat(store.save(lease, bytes.toByteArray())).isTrue();
    assertThatThrownBy(() -> new TdlibSession(store, nodeA.resolve("tdlib")).restore("empty"))
        .hasMessageContaining("unexpected file");
    assertThat(nodeA.resolve("../escaped").normalize()).doesNotExist();
  }

  private static byte[] bytes(String text) {
    return text.getBytes();
  }
}
