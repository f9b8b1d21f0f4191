package dev.tg.config;

import java.nio.file.Path;

/** A configuration value the node cannot run with; the message names the key and, when known, the file. */
public final class SettingsException extends RuntimeException {
  private final String key;

  public SettingsException(String key, String problem) {
    super(key + " " + problem);
    this.key = key;
  }

  /** A bad value read from {@code file}. */
  public SettingsException(Path file, String key, String problem) {
    super(file + ": " + key + " " + problem);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
