package dev.tg.config;

/** A configuration value the node cannot run with; the message names the key (and the file, once known). */
public final class SettingsException extends RuntimeException {
  private final String key;

  public SettingsException(String key, String problem) {
    super(key + " " + problem);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
