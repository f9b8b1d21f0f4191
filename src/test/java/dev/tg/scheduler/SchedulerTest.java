package dev.tg.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tg.config.SyncSettings;
import dev.tg.config.TgConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scheduler on a clock the test moves: what it grants while a request is in flight for long. */
class SchedulerTest {
  private static final Duration QUIET = Duration.ofMillis(300);
  private static ActorTestKit testKit;
  private static SyncSettings settings;

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @BeforeAll
  static void start() {
    Config tg = TgConfig.load(null);
    testKit = ActorTestKit.create("scheduler-test", tg);
    settings = SyncSettings.from(ConfigFactory.parseString(
        "sync.rate-limits.global-rps = 1000, sync.rate-limits.per-chat-rps = 1000, sync.max-concurrent-jobs = 8")
        .withFallback(tg.getConfig("tg")));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aRequestInFlightForMoreThanASecondHoldsHistoryButNotRealTime() {
    ActorRef<Scheduler.Command> scheduler = testKit.spawn(Scheduler.create("test", settings, rates -> { },
        nanos::get));
    TestProbe<Scheduler.TokenGranted> slow = testKit.createTestProbe();
    scheduler.tell(new Scheduler.RequestToken(1, Priority.P1, "getChatHistory", slow.getRef()));
    long slowGrant = slow.receiveMessage().grantId();

    advance(Duration.ofMillis(1500)); // TDLib sits out a flood wait: no answer yet
    TestProbe<Scheduler.TokenGranted> history = testKit.createTestProbe();
    scheduler.tell(new Scheduler.RequestToken(2, Priority.P2, "getChatHistory", history.getRef()));
    history.expectNoMessage(QUIET);
    TestProbe<Scheduler.TokenGranted> realTime = testKit.createTestProbe();
    scheduler.tell(new Scheduler.RequestToken(3, Priority.P0, "getChatHistory", realTime.getRef()));
    assertThat(realTime.receiveMessage()).isNotNull();

    scheduler.tell(new Scheduler.ReleaseToken(slowGrant, "getChatHistory", "ok",
        Duration.ofMillis(1500), Duration.ZERO));
    assertThat(history.receiveMessage()).as("granted once the slow answer came").isNotNull();
  }

  @Test
  void aRequestInFlightPastTheHoldLimitNoLongerHoldsHistory() {
    ActorRef<Scheduler.Command> scheduler = testKit.spawn(Scheduler.create("test", settings, rates -> { },
        nanos::get));
    TestProbe<Scheduler.TokenGranted> lost = testKit.createTestProbe();
    scheduler.tell(new Scheduler.RequestToken(1, Priority.P1, "getChatHistory", lost.getRef()));
    lost.receiveMessage();
    advance(Duration.ofSeconds(2));
    TestProbe<Scheduler.TokenGranted> history = testKit.createTestProbe();
    scheduler.tell(new Scheduler.RequestToken(2, Priority.P2, "getChatHistory", history.getRef()));
    history.expectNoMessage(QUIET);

    advance(Scheduler.FLOOD_HOLD_LIMIT);
    TestProbe<Scheduler.TokenGranted> another = testKit.createTestProbe();
    scheduler.tell(new Scheduler.RequestToken(4, Priority.P3, "getChatHistory", another.getRef()));
    assertThat(history.receiveMessage()).as("a request that old is more likely lost than held").isNotNull();
  }

  private void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }
}
