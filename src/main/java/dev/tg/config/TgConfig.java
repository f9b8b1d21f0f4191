package dev.tg.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the node's configuration: the defaults of conf/application.conf, under a user's file if given. */
public final class TgConfig {
  private TgConfig() {}

  /** {@code userFile} (HOCON) may be null. */
  public static Config load(Path userFile) {
    Config defaults = ConfigFactory.load();
    if (userFile == null) {
      return defaults;
    }
    if (!Files.isReadable(userFile)) {
      throw new SettingsException("--config", "cannot read " + userFile);
    }
    return ConfigFactory.parseFile(userFile.toFile()).withFallback(defaults).resolve();
  }
}
