package dev.tg.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeterminismTest {
  private static final Instant EPOCH = TdHarness.EPOCH;

  @Test
  void sameSeedAndEpochMakeTheSameWorld() {
    WorldSpec spec = WorldSpec.tiny(99);
    assertThat(snapshot(new SimulatedTelegram(spec, EPOCH, new ManualClock(EPOCH))))
        .isEqualTo(snapshot(new SimulatedTelegram(spec, EPOCH, new ManualClock(EPOCH))));
  }

  @Test
  void anotherSeedMakesAnotherWorld() {
    assertThat(snapshot(new SimulatedTelegram(WorldSpec.tiny(1), EPOCH, new ManualClock(EPOCH))))
        .isNotEqualTo(snapshot(new SimulatedTelegram(WorldSpec.tiny(2), EPOCH, new ManualClock(EPOCH))));
  }

  @Test
  void aWorldCreatedLaterHoldsTheLiveTrafficOfTheMeantime() {
    WorldSpec spec = WorldSpec.tiny(5).withLiveTraffic(2.0, 0.1, 0.05);
    ManualClock running = new ManualClock(EPOCH);
    SimulatedTelegram runningAll = new SimulatedTelegram(spec, EPOCH, running);
    long before = runningAll.messageCount();
    running.advance(Duration.ofMinutes(10));

    SimulatedTelegram restarted = new SimulatedTelegram(spec, EPOCH, new ManualClock(EPOCH.plus(Duration.ofMinutes(10))));
    Map<Long, SortedMap<Long, SimMessage>> later = snapshot(restarted);
    assertThat(later).isEqualTo(snapshot(runningAll));
    long liveMessages = later.values().stream()
        .flatMap(messages -> messages.values().stream())
        .filter(message -> message.date() >= EPOCH.getEpochSecond())
        .count();
    assertThat(liveMessages).isBetween(900L, 1300L);
    assertThat(later.values().stream().flatMap(messages -> messages.values().stream()))
        .anyMatch(message -> !message.previousTexts().isEmpty())
        .anyMatch(SimMessage::deleted);
    assertThat(restarted.messageCount()).isGreaterThan(before);
  }

  @Test
  void messageIdsAreServerIdsIncreasingWithDate() {
    SimulatedTelegram telegram = new SimulatedTelegram(WorldSpec.tiny(3), EPOCH, new ManualClock(EPOCH));
    for (SimChat chat : telegram.chats()) {
      List<SimMessage> messages = List.copyOf(telegram.groundTruth(chat.id()).values());
      assertThat(messages).isNotEmpty();
      for (int i = 0; i < messages.size(); i++) {
        assertThat(messages.get(i).id() & ((1L << 20) - 1)).isZero();
        if (i > 0) {
          assertThat(messages.get(i).date()).isGreaterThanOrEqualTo(messages.get(i - 1).date());
        }
      }
      assertThat(messages.get(messages.size() - 1).date()).isLessThan((int) EPOCH.getEpochSecond());
    }
  }

  @Test
  void demoWorldHasTheAdvertisedShape() {
    SimulatedTelegram demo = new SimulatedTelegram(WorldSpec.demo(1), EPOCH, new ManualClock(EPOCH));
    Map<ChatKind, Long> kinds = demo.chats().stream()
        .collect(Collectors.groupingBy(SimChat::kind, Collectors.counting()));
    assertThat(demo.chats().size()).isBetween(40, 60);
    assertThat(kinds.keySet()).containsExactlyInAnyOrder(ChatKind.values());
    long personal = demo.chats().stream()
        .filter(chat -> chat.kind() == ChatKind.PRIVATE || chat.kind() == ChatKind.BASIC_GROUP)
        .mapToLong(chat -> demo.groundTruth(chat.id()).size())
        .sum();
    assertThat(personal).isBetween(20_000L, 40_000L);
    assertThat(demo.messageCount()).isBetween(100_000L, 300_000L);
  }

  private static Map<Long, SortedMap<Long, SimMessage>> snapshot(SimulatedTelegram telegram) {
    return telegram.chats().stream().collect(Collectors.toMap(SimChat::id, chat -> telegram.groundTruth(chat.id())));
  }
}
