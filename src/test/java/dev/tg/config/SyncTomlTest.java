package dev.tg.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tg.cli.Cli;
import dev.tg.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sync.toml over the defaults: names and units mapped, and every kind of bad value stopping the node with 2. */
class SyncTomlTest {
  @TempDir
  Path dir;

  private Path toml(String text) throws Exception {
    return Files.writeString(dir.resolve("sync.toml"), text);
  }

  @Test
  void theDesignsKeysOverrideTheDefaultsWithTheirUnits() throws Exception {
    Path file = toml("""
        [sync]
        enabled = true
        max_concurrent_jobs = 5
        history_batch_interval = 250
        [sync.priorities]
        small_group_max = 10
        medium_group_max = 50
        auto_sync_channels = true
        [sync.rate_limits]
        global_rps = 12.5
        per_chat_rps = 2
        [sync.contacts]
        full_sync_interval = 0.5
        """);
    SyncSettings sync = NodeSettings.from(TgConfig.load(null, file)).sync();
    assertThat(sync.maxConcurrentJobs()).isEqualTo(5);
    assertThat(sync.historyBatchInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(sync.priorities().smallGroupMax()).isEqualTo(10);
    assertThat(sync.priorities().mediumGroupMax()).isEqualTo(50);
    assertThat(sync.priorities().autoSyncChannels()).isTrue();
    assertThat(sync.rateLimits().globalRps()).isEqualTo(12.5);
    assertThat(sync.rateLimits().perChatRps()).isEqualTo(2.0);
    assertThat(sync.contactsFullSyncInterval()).isEqualTo(Duration.ofMinutes(30));
    // untouched keys keep their defaults
    assertThat(sync.historyBatchSize()).isEqualTo(100);
  }

  @Test
  void theConfigDirectorysSyncTomlIsFoundByItself() throws Exception {
    toml("[sync.priorities]\nsmall_group_max = 7\n");
    Path hocon = Files.writeString(dir.resolve("tg.conf"), "tg.config-dir = \"" + dir + "\"\n");
    assertThat(NodeSettings.from(TgConfig.load(hocon)).sync().priorities().smallGroupMax()).isEqualTo(7);
  }

  @Test
  void anEmptyFileChangesNothing() throws Exception {
    assertThat(NodeSettings.from(TgConfig.load(null, toml(""))).sync().maxConcurrentJobs()).isEqualTo(3);
  }

  /** Each class of bad value: the node refuses to start with exit code 2, naming the key and the file. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "negative rate          | [sync.rate_limits]\\nglobal_rps = -5                         | sync.rate_limits.global_rps | must not be negative",
      "zero rate              | [sync.rate_limits]\\nper_chat_rps = 0                        | sync.rate_limits.per_chat_rps | must be positive",
      "medium below small     | [sync.priorities]\\nsmall_group_max = 20\\nmedium_group_max = 10 | sync.priorities.medium_group_max | must not be below small_group_max (20)",
      "small above default    | [sync.priorities]\\nsmall_group_max = 500                    | sync.priorities.small_group_max | must not be above medium_group_max (100",
      "unknown key            | [sync]\\nmax_concurent_jobs = 3                            | sync.max_concurent_jobs | is not a known key of [sync]",
      "unknown section        | [sync.colors]\\nred = 1                                     | sync.colors | is not a known key",
      "unknown top level      | [network]\\nproxy = 'x'                                      | network | is not a section of sync.toml",
      "string for integer     | [sync]\\nmax_concurrent_jobs = 'three'                     | sync.max_concurrent_jobs | must be an integer, not the string \"three\"",
      "fraction for integer   | [sync]\\nhistory_batch_size = 2.5                          | sync.history_batch_size | must be an integer",
      "string for boolean     | [sync.priorities]\\nauto_sync_dms = 'yes'                  | sync.priorities.auto_sync_dms | must be true or false",
      "number for boolean     | [sync]\\nenabled = 1                                       | sync.enabled | must be true or false",
      "string for duration    | [sync.contacts]\\nfull_sync_interval = '24h'               | sync.contacts.full_sync_interval | must be a number of hours",
      "zero interval          | [sync.contacts]\\nfull_sync_interval = 0                   | sync.contacts.full_sync_interval | must be positive",
      "batch too large        | [sync]\\nhistory_batch_size = 1000                         | sync.history_batch_size | must be 1..100",
      "not toml at all        | [sync\\nthis is = = not toml                               | (syntax) | is not valid TOML"})
  void aBadValueStopsTheNodeWithExitTwo(String what, String text, String key, String problem) throws Exception {
    Path file = toml(text.strip().replace("\\n", "\n"));
    Path hocon = Files.writeString(dir.resolve("tg.conf"),
        "tg.config-dir = \"" + dir + "\"\ntg.data-dir = \"" + dir.resolve("data") + "\"\n");
    Cli.Result result = Cli.runPlain("node", "--demo", "--config", hocon.toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
    assertThat(result.err()).as(what).contains(file.toString()).contains(key).contains(problem);
    // the node stopped before creating anything
    assertThat(Files.exists(dir.resolve("data"))).isFalse();
    // and every command reading the settings says the same
    assertThat(Cli.runPlain("status", "--config", hocon.toString()).exitCode()).isEqualTo(Main.USAGE);
  }

  @Test
  void aBadHoconValueNamesItsKeyAndFile() throws Exception {
    Path hocon = Files.writeString(dir.resolve("tg.conf"), "tg.config-dir = \"" + dir + "\"\n"
        + "tg.sync.max-concurrent-jobs = 0\n");
    Cli.Result result = Cli.runPlain("node", "--demo", "--config", hocon.toString());
    assertThat(result.exitCode()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("tg.sync.max-concurrent-jobs must be at least 1").contains(hocon.toString());
  }

  @Test
  void anExplicitSyncConfigMustExist() {
    assertThatThrownBy(() -> TgConfig.load(null, dir.resolve("missing.toml")))
        .isInstanceOf(SettingsException.class).hasMessageContaining("missing.toml");
  }
}
