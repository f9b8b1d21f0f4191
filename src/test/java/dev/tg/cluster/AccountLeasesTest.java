package dev.tg.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tg.cluster.AccountLeases.Lease;
import dev.tg.simulator.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lease table on a real PostgreSQL, with time moved by hand. */
class AccountLeasesTest {
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final ExecutorService CONTENDERS = Executors.newFixedThreadPool(2);

  private static SharedDatabase database;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final AccountLeases leases = new AccountLeases(database, clock);

  @BeforeAll
  static void migrate() {
    database = new SharedDatabase(TestPostgres.freshDatabase());
    database.migrate();
  }

  @AfterAll
  static void stopContenders() {
    CONTENDERS.shutdownNow();
  }

  @Test
  void ofTwoHoldersContendingAtOnceExactlyOneWins() throws Exception {
    for (int round = 0; round < 20; round++) {
      String account = "contended-" + round;
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Lease>> attempts = new ArrayList<>();
      for (String holder : List.of("node-a", "node-b")) {
        Callable<Lease> attempt = () -> {
          go.await();
          return leases.acquire(account, holder, TTL);
        };
        attempts.add(CONTENDERS.submit(attempt));
      }
      go.countDown();
      Lease a = attempts.get(0).get();
      Lease b = attempts.get(1).get();
      // both see the same winner
      assertThat(a.holder()).isEqualTo(b.holder()).isIn("node-a", "node-b");
      assertThat(a.fencing()).isEqualTo(b.fencing()).isEqualTo(1);
      assertThat(leases.current(account)).contains(a);
    }
  }

  @Test
  void aHeldLeaseIsRefusedUntilItExpiresThenTheNextHolderTakesItWithAHigherFencingCounter() throws Exception {
    Lease first = leases.acquire("expiring", "node-a", TTL);
    assertThat(first.heldBy("node-a")).isTrue();

    clock.advance(TTL.minusSeconds(1));
    Lease refused = leases.acquire("expiring", "node-b", TTL);
    assertThat(refused.heldBy("node-b")).isFalse();
    assertThat(refused.holder()).isEqualTo("node-a");
    assertThat(refused.expiresAt()).isEqualTo(first.expiresAt());

    clock.advance(Duration.ofSeconds(1));
    Lease second = leases.acquire("expiring", "node-b", TTL);
    assertThat(second.heldBy("node-b")).isTrue();
    assertThat(second.fencing()).isEqualTo(first.fencing() + 1);
    assertThat(second.expiresAt()).isEqualTo(clock.instant().plus(TTL));
  }

  @Test
  void renewingKeepsTheLeaseAndAHolderWhoseLeaseWasTakenCannotRenew() throws Exception {
    Lease first = leases.acquire("renewed", "node-a", TTL);
    clock.advance(TTL.minusSeconds(10));
    assertThat(leases.renew(first, TTL)).isTrue();
    clock.advance(TTL.minusSeconds(10));
    // still held: the renewal moved the expiry
    assertThat(leases.acquire("renewed", "node-b", TTL).heldBy("node-a")).isTrue();

    clock.advance(TTL);
    Lease taken = leases.acquire("renewed", "node-b", TTL);
    assertThat(taken.heldBy("node-b")).isTrue();
    assertThat(leases.renew(first, TTL)).isFalse();
    assertThat(leases.current("renewed")).contains(taken);
    // the same node name coming back later is a new holder, not the old one
    assertThat(leases.renew(new Lease("renewed", "node-a", first.expiresAt(), taken.fencing()), TTL)).isFalse();
  }

  @Test
  void aHolderTakingItsOwnLeaseAgainGetsAFullTtlAsANewHolding() throws Exception {
    Lease first = leases.acquire("retaken", "node-a", TTL);
    clock.advance(Duration.ofSeconds(20));
    Lease again = leases.acquire("retaken", "node-a", TTL);
    assertThat(again.expiresAt()).isEqualTo(clock.instant().plus(TTL));
    assertThat(again.fencing()).isEqualTo(first.fencing() + 1);
    assertThat(leases.renew(first, TTL)).as("the old holding is over").isFalse();
    assertThat(leases.renew(again, TTL)).isTrue();
  }

  @Test
  void aReleasedLeaseIsFreeAtOnceAndItsOldHolderCanNeitherRenewNorReleaseTheNextOne() throws Exception {
    Lease first = leases.acquire("released", "node-a", TTL);
    leases.release(first);
    assertThat(leases.renew(first, TTL)).isFalse();

    Lease next = leases.acquire("released", "node-b", TTL);
    assertThat(next.heldBy("node-b")).isTrue();
    assertThat(next.fencing()).isEqualTo(2);
    leases.release(first);
    assertThat(leases.current("released")).contains(next);
  }
}
