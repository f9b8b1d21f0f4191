package dev.tg.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code tg.media} section: which files of an archived message are downloaded, per chat tier (P1..P4) and kind,
 * each kind up to a size; a kind a tier does not name, or names with 0, is skipped. Downloads have their own concurrency and byte
 * rate, apart from the API's requests.
 */
public record MediaSettings(
    boolean enabled,
    int maxConcurrentDownloads,
    long maxBytesPerSecond,
    int maxAttempts,
    Duration scanInterval,
    Map<String, Map<String, Long>> policy) {

  /** The kinds of file a message content holds, as {@code tg.media.policy.<tier>} names them. */
  public static final List<String> KINDS =
      List.of("photo", "voice-note", "video-note", "document", "video", "audio", "animation", "sticker");
  public static final List<String> TIERS = List.of("P1", "P2", "P3", "P4");

  /** Reads and checks {@code tg.media}; a bad value fails with the key that holds it. */
  public static MediaSettings from(Config tg) {
    Config media = tg.getConfig("media");
    Map<String, Map<String, Long>> policy = new LinkedHashMap<>();
    Config tiers = media.getConfig("policy");
    for (Map.Entry<String, ConfigValue> tier : tiers.root().entrySet()) {
      String tierKey = "tg.media.policy." + tier.getKey();
      require(TIERS.contains(tier.getKey()), tierKey, "is not a tier: use one of " + TIERS);
      Map<String, Long> kinds = new LinkedHashMap<>();
      Config caps = tiers.getConfig(tier.getKey());
      for (String kind : caps.root().keySet()) {
        String key = tierKey + "." + kind;
        require(KINDS.contains(kind), key, "is not a kind of file: use one of " + KINDS);
        kinds.put(kind, bytes(caps, kind, key, " (0 skips the kind)"));
      }
      policy.put(tier.getKey(), Map.copyOf(kinds));
    }
    MediaSettings settings = new MediaSettings(
        media.getBoolean("enabled"),
        media.getInt("max-concurrent-downloads"),
        bytes(media, "max-bytes-per-second", "tg.media.max-bytes-per-second", ""),
        media.getInt("max-attempts"),
        media.getDuration("scan-interval"),
        Map.copyOf(policy));
    require(settings.maxConcurrentDownloads >= 1, "tg.media.max-concurrent-downloads", "must be at least 1");
    require(settings.maxBytesPerSecond > 0, "tg.media.max-bytes-per-second", "must be positive");
    require(settings.maxAttempts >= 1, "tg.media.max-attempts", "must be at least 1");
    require(settings.scanInterval.toMillis() > 0, "tg.media.scan-interval", "must be positive");
    return settings;
  }

  /** The largest file of {@code kind} fetched in a chat of {@code tier}; 0 when that kind is skipped there. */
  public long cap(String tier, String kind) {
    return policy.getOrDefault(tier, Map.of()).getOrDefault(kind, 0L);
  }

  private static long bytes(Config config, String path, String key, String hint) {
    try {
      return config.getBytes(path);
    } catch (ConfigException.BadValue | ConfigException.WrongType e) {
      // negative sizes too: the config library refuses them
      throw new SettingsException(key, "must be a size in bytes such as 20MB" + hint);
    }
  }

  private static void require(boolean ok, String key, String problem) {
    if (!ok) {
      throw new SettingsException(key, problem);
    }
  }
}
