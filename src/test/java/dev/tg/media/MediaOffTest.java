package dev.tg.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tg.config.MediaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With media downloads off, asking for a chat's files is refused with the key that turns them on. */
class MediaOffTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @TempDir
  Path dir;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void askingForAChatsFilesWhileDownloadsAreOffSaysWhichKeyTurnsThemOn() {
    MediaSettings off = new MediaSettings(false, 1, 1 << 20, 3, Duration.ofSeconds(1), Map.of());
    // nothing else is touched while downloads are off
    ActorRef<Media.Command> media = testKit.spawn(Media.create(new Media.Setup("demo", off, null, null,
        dir.resolve("media"), null, null)));
    TestProbe<StatusReply<Done>> probe = testKit.createTestProbe();
    media.tell(new Media.FetchChat(7, probe.getRef()));
    StatusReply<Done> reply = probe.receiveMessage();
    assertThat(reply.isError()).isTrue();
    assertThat(reply.getError().getMessage()).contains("tg.media.enabled");
  }
}
