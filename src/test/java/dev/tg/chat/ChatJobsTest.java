package dev.tg.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tg.config.SyncSettings;
import dev.tg.config.TgConfig;
import dev.tg.scheduler.Priority;
import dev.tg.telegram.TdChat.ChatKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The priority of each job of a chat, decided without an actor. */
class ChatJobsTest {
  private static final SyncSettings SETTINGS = SyncSettings.from(TgConfig.load(null).getConfig("tg"));
  private final ChatJobs jobs = new ChatJobs(42, SETTINGS);

  @Test
  void aResweepWaitsBehindEveryonesHistoryUnlessTheUserAskedForTheChat() {
    ChatState direct = synced(ChatPolicy.decide(ChatKind.PRIVATE, 2, false, SETTINGS.priorities()));
    ChatState channel = synced(ChatPolicy.decide(ChatKind.CHANNEL, 5_000, true, SETTINGS.priorities()));

    assertThat(jobs.priority(ChatRuntime.JobKind.BACKWARD_HISTORY, direct)).isEqualTo(Priority.P1);
    assertThat(jobs.priority(ChatRuntime.JobKind.RESWEEP, direct)).isEqualTo(Priority.P3);
    assertThat(jobs.priority(ChatRuntime.JobKind.FORWARD_CATCHUP, direct)).isEqualTo(Priority.P0);
    assertThat(jobs.priority(ChatRuntime.JobKind.RESWEEP, channel)).isEqualTo(Priority.P4);
  }

  private static ChatState synced(ChatPolicy policy) {
    Instant at = Instant.now();
    return ChatState.unknown().apply(new ChatSync.ChatDescribed("a chat", policy, 0, at))
        .apply(new ChatSync.InitialLoadStored(1 << 20, 1 << 20, 1, at));
  }
}
