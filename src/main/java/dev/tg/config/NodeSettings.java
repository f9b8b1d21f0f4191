package dev.tg.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The node's own settings: where its files live, where the HTTP route listens, the request log (null: none), the
 * room its storage keeps, the demo world, the sync, the media downloads, the database of the journal and the
 * cluster.
 */
public record NodeSettings(
    Path dataDir,
    Path configDir,
    String httpHost,
    int httpPort,
    String httpToken,
    Path requestLog,
    boolean requestLogFull,
    Demo demo,
    Storage storage,
    SyncSettings sync,
    MediaSettings media,
    DatabaseSettings database,
    ClusterSettings cluster) {

  /** History pauses below {@code minFreeBytes} of room; the room is measured every {@code checkInterval}. */
  public record Storage(long minFreeBytes, Duration checkInterval) {}

  /** The simulated accounts of {@code tg node --demo}. */
  public record Demo(long seed, Duration rtt, String world, double liveMessagesPerSecond, int accounts) {}

  public static NodeSettings from(Config config) {
    return from(config, false);
  }

  /** {@code cluster}: {@code tg node --cluster}, on whatever {@code tg.cluster.enabled} says. */
  public static NodeSettings from(Config config, boolean cluster) {
    Config tg = config.getConfig("tg");
    int port = tg.getInt("http.port");
    if (port < 0 || port > 65535) {
      throw new SettingsException("tg.http.port", "must be 0..65535");
    }
    Demo demo = new Demo(tg.getLong("demo.seed"), tg.getDuration("demo.rtt"), tg.getString("demo.world"),
        tg.getDouble("demo.live-messages-per-second"), tg.getInt("demo.accounts"));
    if (demo.rtt().isNegative()) {
      throw new SettingsException("tg.demo.rtt", "must not be negative");
    }
    if (!demo.world().equals("demo") && !demo.world().equals("tiny")) {
      throw new SettingsException("tg.demo.world", "must be demo or tiny, not " + demo.world());
    }
    if (demo.liveMessagesPerSecond() < 0) {
      throw new SettingsException("tg.demo.live-messages-per-second", "must not be negative");
    }
    if (demo.accounts() < 1) {
      throw new SettingsException("tg.demo.accounts", "must be at least 1");
    }
    Storage storage = new Storage(tg.getBytes("storage.min-free-space"), tg.getDuration("storage.check-interval"));
    if (storage.minFreeBytes() < 0) {
      throw new SettingsException("tg.storage.min-free-space", "must not be negative");
    }
    if (storage.checkInterval().toMillis() <= 0) {
      throw new SettingsException("tg.storage.check-interval", "must be positive");
    }
    DatabaseSettings database = DatabaseSettings.from(tg);
    return new NodeSettings(
        dataDir(tg.getString("data-dir")),
        configDir(tg.getString("config-dir")),
        tg.getString("http.host"),
        port,
        tg.getString("http.token"),
        tg.getString("telegram.request-log").isBlank() ? null : Path.of(tg.getString("telegram.request-log")),
        tg.getBoolean("telegram.request-log-full"),
        demo,
        storage,
        SyncSettings.from(tg),
        MediaSettings.from(tg),
        database,
        ClusterSettings.from(tg, cluster, database));
  }

  /** {@code tg.data-dir}, or {@code $XDG_DATA_HOME/tg}, or {@code ~/.local/share/tg}. */
  public static Path dataDir(String configured) {
    return configured.isBlank() ? xdg("XDG_DATA_HOME", ".local/share").resolve("tg") : Path.of(configured);
  }

  /** {@code tg.config-dir}, or {@code $XDG_CONFIG_HOME/tg}, or {@code ~/.config/tg}. */
  public static Path configDir(String configured) {
    return configured.isBlank() ? xdg("XDG_CONFIG_HOME", ".config").resolve("tg") : Path.of(configured);
  }

  private static Path xdg(String variable, String fallbackUnderHome) {
    String value = System.getenv(variable);
    return value == null || value.isBlank()
        ? Path.of(System.getProperty("user.home")).resolve(fallbackUnderHome)
        : Path.of(value);
  }

  public Path journalFile() {
    return dataDir.resolve("journal.db");
  }

  public Path archiveFile() {
    return dataDir.resolve("archive.db");
  }

  /** The node's copies of downloaded files, content-addressed. */
  public Path mediaDir() {
    return dataDir.resolve("media");
  }

  /** TDLib's session and files of one account. */
  public Path sessionDir(String account) {
    return dataDir.resolve("accounts").resolve(account).resolve("tdlib");
  }
}
