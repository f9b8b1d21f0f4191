package dev.tg.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tg.cli.Cli;
import dev.tg.cli.Main;
import dev.tg.cluster.ClusterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** tg.cluster.enabled and its keys: off by default, and a bad value stops the node with 2, naming the key. */
class ClusterSettingsTest {
  private static final String ON_POSTGRES = """
      tg.storage.database = postgres
      tg.storage.postgres.url = "jdbc:postgresql://db:5432/tg"
      """;

  @TempDir
  Path dir;

  @Test
  void clusteringIsOffByDefaultAndLeavesTheActorSystemLocal() {
    Config config = TgConfig.load(null);
    NodeSettings settings = NodeSettings.from(config);
    assertThat(settings.cluster().enabled()).isFalse();
    assertThat(ClusterConfig.apply(config, settings.cluster())).isSameAs(config);
    assertThat(config.getString("pekko.actor.provider")).isEqualTo("local");
  }

  @Test
  void aClusterMemberGetsArteryTheSeedNodesAndTheSplitBrainResolver() {
    Config config = ConfigFactory.parseString(ON_POSTGRES + """
        tg.cluster.enabled = true
        tg.cluster.host = "10.0.0.1"
        tg.cluster.seed-nodes = ["10.0.0.1:25520", "10.0.0.2:25520"]
        """).withFallback(TgConfig.load(null)).resolve();
    ClusterSettings cluster = NodeSettings.from(config).cluster();
    assertThat(cluster.seedNodes()).containsExactly(new ClusterSettings.SeedNode("10.0.0.1", 25520),
        new ClusterSettings.SeedNode("10.0.0.2", 25520));
    assertThat(cluster.stableAfter()).isEqualTo(Duration.ofSeconds(10));

    Config pekko = ClusterConfig.apply(config, cluster).getConfig("pekko");
    assertThat(pekko.getString("actor.provider")).isEqualTo("cluster");
    assertThat(pekko.getString("remote.artery.canonical.hostname")).isEqualTo("10.0.0.1");
    assertThat(pekko.getInt("remote.artery.canonical.port")).isEqualTo(25520);
    assertThat(pekko.getStringList("cluster.seed-nodes"))
        .isEqualTo(List.of("pekko://tg@10.0.0.1:25520", "pekko://tg@10.0.0.2:25520"));
    assertThat(pekko.getString("cluster.downing-provider-class"))
        .isEqualTo("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
    assertThat(pekko.getString("cluster.split-brain-resolver.active-strategy")).isEqualTo("keep-majority");
    assertThat(pekko.getDuration("cluster.split-brain-resolver.stable-after")).isEqualTo(Duration.ofSeconds(10));
    assertThat(pekko.getBoolean("cluster.sharding.remember-entities")).isTrue();
    assertThat(pekko.getString("cluster.sharding.remember-entities-store")).isEqualTo("eventsourced");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "cluster on sqlite  | tg.cluster.enabled = true                          | tg.cluster.enabled | needs tg.storage.database = postgres",
      "no seed nodes      | PG\\ntg.cluster.enabled = true                       | tg.cluster.seed-nodes | must list at least one node",
      "seed without port  | PG\\ntg.cluster.enabled = true\\ntg.cluster.seed-nodes = [db] | tg.cluster.seed-nodes | must be host:port entries, not db",
      "bad port           | PG\\ntg.cluster.enabled = true\\ntg.cluster.seed-nodes = [\"a:1\"]\\ntg.cluster.port = 70000 | tg.cluster.port | must be 0..65535",
      "zero stable-after  | PG\\ntg.cluster.enabled = true\\ntg.cluster.seed-nodes = [\"a:1\"]\\ntg.cluster.stable-after = 0s | tg.cluster.stable-after | must be positive"})
  void aBadValueStopsTheNodeWithExitTwoNamingTheKey(String what, String text, String key, String problem)
      throws Exception {
    Path hocon = Files.writeString(dir.resolve("tg.conf"), "tg.config-dir = \"" + dir + "\"\ntg.data-dir = \""
        + dir.resolve("data") + "\"\n" + text.replace("PG", ON_POSTGRES).replace("\\n", "\n"));
    Cli.Result result = Cli.runPlain("node", "--demo", "--config", hocon.toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
    assertThat(result.err()).as(what).contains(key).contains(problem);
    assertThat(Files.exists(dir.resolve("data"))).as("nothing created").isFalse();
  }

  @Test
  void theClusterFlagOnSqliteIsRefusedNamingTheFlag() throws Exception {
    Path hocon = Files.writeString(dir.resolve("tg.conf"), "tg.config-dir = \"" + dir + "\"\ntg.data-dir = \""
        + dir.resolve("data") + "\"\n");
    Cli.Result result = Cli.runPlain("node", "--demo", "--cluster", "--config", hocon.toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("tg node --cluster needs tg.storage.database = postgres");
  }
}
