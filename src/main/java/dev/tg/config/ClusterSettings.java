package dev.tg.config;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * Accounts sharded over a Pekko Cluster ({@code tg.cluster.enabled}): where this node listens for the other nodes
 * (Artery), the nodes it joins, and how long the Split Brain Resolver waits for a stable membership before it downs
 * the unreachable side.
 */
public record ClusterSettings(boolean enabled, String host, int port, List<SeedNode> seedNodes,
    Duration stableAfter) {

  /** A node to join, given as {@code host:port}. */
  public record SeedNode(String host, int port) {}

  public static final ClusterSettings OFF = new ClusterSettings(false, "", 0, List.of(), Duration.ZERO);

  /** Reads and checks {@code tg.cluster.*}; clustering needs the journal and leases shared on PostgreSQL. */
  public static ClusterSettings from(Config tg, boolean forced, DatabaseSettings database) {
    if (!forced && !tg.getBoolean("cluster.enabled")) {
      return OFF;
    }
    String key = forced ? "tg node --cluster" : "tg.cluster.enabled";
    if (!database.onPostgres()) {
      throw new SettingsException(key, "needs tg.storage.database = postgres: the nodes share the journal and the "
          + "account leases there (docs/cluster.md)");
    }
    int port = tg.getInt("cluster.port");
    if (port < 0 || port > 65535) {
      throw new SettingsException("tg.cluster.port", "must be 0..65535");
    }
    List<SeedNode> seeds = tg.getStringList("cluster.seed-nodes").stream().map(ClusterSettings::seedNode).toList();
    if (seeds.isEmpty()) {
      throw new SettingsException("tg.cluster.seed-nodes",
          "must list at least one node as host:port (the first node lists itself)");
    }
    Duration stableAfter = tg.getDuration("cluster.stable-after");
    if (stableAfter.toMillis() <= 0) {
      throw new SettingsException("tg.cluster.stable-after", "must be positive");
    }
    return new ClusterSettings(true, tg.getString("cluster.host"), port, seeds, stableAfter);
  }

  private static SeedNode seedNode(String text) {
    int colon = text.lastIndexOf(':');
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (colon > 0 && port > 0 && port <= 65535) {
        return new SeedNode(text.substring(0, colon), port);
      }
    } catch (NumberFormatException e) {
      // named below
    }
    throw new SettingsException("tg.cluster.seed-nodes", "must be host:port entries, not " + text);
  }
}
