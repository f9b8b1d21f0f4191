package dev.tg.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the node's configuration. From strongest to weakest: system properties ({@code -Dtg.http.port=...}), the
 * HOCON file of {@code --config}, the user's {@code sync.toml} (design names, {@code <config-dir>/sync.toml} or
 * {@code --sync-config}), then the defaults of conf/application.conf. The sync settings are checked here, so
 * every command fails the same way on a bad value: with the key and the file that holds it.
 */
public final class TgConfig {
  /** The name of the user's sync settings file in the config directory. */
  public static final String SYNC_TOML = "sync.toml";

  // malformed HTTP that never becomes a request is answered in JSON too (docs/http-api.md)
  private static final Config HTTP_DEFAULTS = ConfigFactory.parseMap(Map.of(
      "pekko.http.server.parsing.error-handler", "dev.tg.http.JsonParsingErrors"), "tg's HTTP defaults");

  private static final Map<String, String> PAIRS = Map.of(
      "tg.sync.priorities.medium-group-max", "tg.sync.priorities.small-group-max",
      "tg.sync.rate-limits.retry-backoff-max", "tg.sync.rate-limits.retry-backoff-min");

  private TgConfig() {}

  /** {@code userFile} (HOCON) may be null; sync.toml is looked up in the config directory. */
  public static Config load(Path userFile) {
    return load(userFile, null);
  }

  /** {@code userFile} (HOCON) and {@code syncToml} may be null; an explicit {@code syncToml} must exist. */
  public static Config load(Path userFile, Path syncToml) {
    ConfigFactory.invalidateCaches();
    Config user = ConfigFactory.empty();
    if (userFile != null) {
      if (!Files.isReadable(userFile)) {
        throw new SettingsException("--config", "cannot read " + userFile);
      }
      user = ConfigFactory.parseFile(userFile.toFile());
    }
    Config defaults = ConfigFactory.defaultApplication().withFallback(HTTP_DEFAULTS)
        .withFallback(ConfigFactory.defaultReference());
    Config withoutToml = ConfigFactory.defaultOverrides().withFallback(user).withFallback(defaults).resolve();
    Path tomlFile = syncToml;
    if (tomlFile == null) {
      tomlFile = NodeSettings.configDir(withoutToml.getString("tg.config-dir")).resolve(SYNC_TOML);
      if (!Files.exists(tomlFile)) {
        return checked(withoutToml, ConfigFactory.empty(), tomlFile);
      }
    } else if (!Files.isReadable(tomlFile)) {
      throw new SettingsException("--sync-config", "cannot read " + tomlFile);
    }
    Config toml = SyncToml.read(tomlFile);
    Config loaded = ConfigFactory.defaultOverrides().withFallback(user).withFallback(toml).withFallback(defaults)
        .resolve();
    return checked(loaded, toml, tomlFile);
  }

  /** Checks tg.sync, tg.media and the database settings; a bad value is named by its sync.toml key if set there. */
  private static Config checked(Config loaded, Config toml, Path tomlFile) {
    try {
      SyncSettings.from(loaded.getConfig("tg"));
      MediaSettings.from(loaded.getConfig("tg"));
      DatabaseSettings.from(loaded.getConfig("tg"));
      return loaded;
    } catch (SettingsException e) {
      String key = e.key();
      String partner = PAIRS.get(key);
      Optional<SyncToml.Key> inToml = SyncToml.byHoconPath(key).filter(k -> toml.hasPath(k.hoconPath()));
      if (inToml.isPresent()) {
        throw new SettingsException(tomlFile, inToml.get().tomlPath(), tomlNames(problemOf(e)));
      }
      if (partner != null && toml.hasPath(partner)) {
        SyncToml.Key partnerKey = SyncToml.byHoconPath(partner).orElseThrow();
        SyncToml.Key ownKey = SyncToml.byHoconPath(key).orElseThrow();
        throw new SettingsException(tomlFile, partnerKey.tomlPath(), "must not be above " + ownKey.name()
            + " (" + loaded.getValue(key).unwrapped() + ", set in " + originOf(loaded, key) + ")");
      }
      throw new SettingsException(key, problemOf(e) + " (set in " + originOf(loaded, key) + ")");
    }
  }

  private static String problemOf(SettingsException e) {
    return e.getMessage().substring(e.key().length()).strip();
  }

  private static String originOf(Config config, String key) {
    return config.hasPath(key) ? config.getValue(key).origin().description() : "the defaults";
  }

  private static String tomlNames(String problem) {
    String named = problem;
    for (SyncToml.Key key : SyncToml.KEYS) {
      String kebab = key.hoconPath().substring(key.hoconPath().lastIndexOf('.') + 1);
      named = named.replace(kebab, key.name());
    }
    return named;
  }
}
