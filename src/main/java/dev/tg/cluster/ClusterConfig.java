package dev.tg.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.tg.config.ClusterSettings;

/**
 * The actor system's configuration of a cluster member: cluster/cluster.conf over the node's configuration (whose
 * reference defaults say provider = local), and this node's tg.cluster values over both.
 */
public final class ClusterConfig {
  /** Every node's actor system has this name: a seed node's address is {@code pekko://tg@host:port}. */
  public static final String SYSTEM_NAME = "tg";

  private ClusterConfig() {}

  /** {@code config} unchanged when clustering is off. */
  public static Config apply(Config config, ClusterSettings cluster) {
    if (!cluster.enabled()) {
      return config;
    }
    return ConfigFactory.parseResources("cluster/cluster.conf").withFallback(config)
        .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(cluster.host()))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(cluster.port()))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(cluster.seedNodes().stream()
            .map(seed -> "pekko://" + SYSTEM_NAME + "@" + seed.host() + ":" + seed.port()).toList()))
        .withValue("pekko.cluster.split-brain-resolver.stable-after",
            ConfigValueFactory.fromAnyRef(cluster.stableAfter().toMillis() + "ms"));
  }
}
