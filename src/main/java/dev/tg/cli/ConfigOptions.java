package dev.tg.cli;

import dev.tg.config.NodeSettings;
import dev.tg.config.TgConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command shares to find the node's settings: the same files the node itself reads. */
final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file over the defaults.")
  Path config;

  @Option(names = "--sync-config", paramLabel = "FILE",
      description = "The sync.toml to use instead of <config-dir>/sync.toml.")
  Path syncConfig;

  NodeSettings settings() {
    return NodeSettings.from(TgConfig.load(config, syncConfig));
  }
}
