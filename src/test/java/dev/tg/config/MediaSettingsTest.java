package dev.tg.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tg.cli.Cli;
import dev.tg.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** tg.media: the defaults, sync.toml's [sync.media] sections, and bad values stopping the node with 2. */
class MediaSettingsTest {
  @TempDir
  Path dir;

  @Test
  void byDefaultPhotosAndVoiceNotesOfP1ChatsUpTo20MbAndNothingElse() {
    MediaSettings media = NodeSettings.from(TgConfig.load(null)).media();
    assertThat(media.cap("P1", "photo")).isEqualTo(20_000_000);
    assertThat(media.cap("P1", "voice-note")).isEqualTo(20_000_000);
    for (String kind : MediaSettings.KINDS) {
      if (!kind.equals("photo") && !kind.equals("voice-note")) {
        assertThat(media.cap("P1", kind)).as(kind).isZero();
      }
      for (String tier : new String[] {"P2", "P3", "P4"}) {
        assertThat(media.cap(tier, kind)).as(tier + " " + kind).isZero();
      }
    }
  }

  @Test
  void syncTomlSetsThePolicyInMegabytes() throws Exception {
    Path toml = Files.writeString(dir.resolve("sync.toml"), """
        [sync.media]
        max_concurrent_downloads = 5
        max_megabytes_per_second = 1.5
        [sync.media.p1]
        photo = 0
        document = 50
        [sync.media.p2]
        voice_note = 2
        """);
    MediaSettings media = NodeSettings.from(TgConfig.load(null, toml)).media();
    assertThat(media.maxConcurrentDownloads()).isEqualTo(5);
    assertThat(media.maxBytesPerSecond()).isEqualTo(1_500_000);
    assertThat(media.cap("P1", "photo")).isZero();
    assertThat(media.cap("P1", "document")).isEqualTo(50_000_000);
    assertThat(media.cap("P1", "voice-note")).isEqualTo(20_000_000);
    assertThat(media.cap("P2", "voice-note")).isEqualTo(2_000_000);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown tier   | tg.media.policy.P9 { photo = 1MB }    | tg.media.policy.P9 | is not a tier",
      "unknown kind   | tg.media.policy.P1.selfie = 1MB       | tg.media.policy.P1.selfie | is not a kind of file",
      "negative cap   | tg.media.policy.P1.photo = -1         | tg.media.policy.P1.photo | must be a size in bytes",
      "not a size     | tg.media.policy.P1.photo = big        | tg.media.policy.P1.photo | must be a size in bytes",
      "no downloads   | tg.media.max-concurrent-downloads = 0 | tg.media.max-concurrent-downloads | must be at least 1",
      "no bandwidth   | tg.media.max-bytes-per-second = 0     | tg.media.max-bytes-per-second | must be positive"})
  void aBadValueStopsTheNodeWithExitTwoNamingTheKey(String what, String line, String key, String problem)
      throws Exception {
    Path hocon = Files.writeString(dir.resolve("tg.conf"), "tg.config-dir = \"" + dir + "\"\n"
        + "tg.data-dir = \"" + dir.resolve("data") + "\"\n" + line + "\n");
    Cli.Result result = Cli.runPlain("node", "--demo", "--config", hocon.toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
    assertThat(result.err()).as(what).contains(key).contains(problem);
    assertThat(Files.exists(dir.resolve("data"))).isFalse();
  }

  @Test
  void aBadValueInSyncTomlIsNamedThere() throws Exception {
    Files.writeString(dir.resolve("sync.toml"), "[sync.media.p1]\nphoto = 'large'\n");
    Path hocon = Files.writeString(dir.resolve("tg.conf"), "tg.config-dir = \"" + dir + "\"\n");
    Cli.Result result = Cli.runPlain("node", "--demo", "--config", hocon.toString());
    assertThat(result.exitCode()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("sync.media.p1.photo").contains("must be a number of megabytes");
  }
}
