package dev.tg.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A user's {@code sync.toml} with the design document's names (snake_case, sections {@code [sync]},
 * {@code [sync.priorities]}, {@code [sync.rate_limits]}, {@code [sync.contacts]}; and {@code [sync.media]} with
 * {@code [sync.media.p1]}..{@code [sync.media.p4]} for {@code tg.media}), read as the HOCON keys of
 * {@code tg.sync} it sets. Unknown keys and wrong types are refused here, naming the key and the file; the
 * ranges are checked by {@link SyncSettings} and reported under the TOML name by {@link TgConfig}.
 */
public final class SyncToml {
  private static final TomlMapper TOML = new TomlMapper();

  enum Type {
    BOOLEAN("true or false"),
    INTEGER("an integer"),
    NUMBER("a number"),
    MILLISECONDS("a number of milliseconds"),
    SECONDS("a number of seconds"),
    HOURS("a number of hours"),
    MEGABYTES("a number of megabytes");

    final String expected;

    Type(String expected) {
      this.expected = expected;
    }
  }

  /** One key of sync.toml: its section, its name there, its type (and unit), and the HOCON path it sets. */
  public record Key(String section, String name, Type type, String hoconPath) {
    public String tomlPath() {
      return section + "." + name;
    }
  }

  public static final List<Key> KEYS = Stream.concat(Stream.of(
      new Key("sync", "enabled", Type.BOOLEAN, "tg.sync.enabled"),
      new Key("sync", "max_concurrent_jobs", Type.INTEGER, "tg.sync.max-concurrent-jobs"),
      new Key("sync", "history_batch_size", Type.INTEGER, "tg.sync.history-batch-size"),
      new Key("sync", "history_batch_interval", Type.MILLISECONDS, "tg.sync.history-batch-interval"),
      new Key("sync", "request_timeout", Type.SECONDS, "tg.sync.request-timeout"),
      new Key("sync.priorities", "small_group_max", Type.INTEGER, "tg.sync.priorities.small-group-max"),
      new Key("sync.priorities", "medium_group_max", Type.INTEGER, "tg.sync.priorities.medium-group-max"),
      new Key("sync.priorities", "medium_initial_load", Type.INTEGER, "tg.sync.priorities.medium-initial-load"),
      new Key("sync.priorities", "auto_sync_dms", Type.BOOLEAN, "tg.sync.priorities.auto-sync-dms"),
      new Key("sync.priorities", "auto_sync_small_groups", Type.BOOLEAN, "tg.sync.priorities.auto-sync-small-groups"),
      new Key("sync.priorities", "auto_sync_medium_groups", Type.BOOLEAN,
          "tg.sync.priorities.auto-sync-medium-groups"),
      new Key("sync.priorities", "auto_sync_large_groups", Type.BOOLEAN, "tg.sync.priorities.auto-sync-large-groups"),
      new Key("sync.priorities", "auto_sync_channels", Type.BOOLEAN, "tg.sync.priorities.auto-sync-channels"),
      new Key("sync.rate_limits", "global_rps", Type.NUMBER, "tg.sync.rate-limits.global-rps"),
      new Key("sync.rate_limits", "per_chat_rps", Type.NUMBER, "tg.sync.rate-limits.per-chat-rps"),
      new Key("sync.rate_limits", "flood_wait_multiplier", Type.NUMBER, "tg.sync.rate-limits.flood-wait-multiplier"),
      new Key("sync.rate_limits", "retry_backoff_min", Type.MILLISECONDS, "tg.sync.rate-limits.retry-backoff-min"),
      new Key("sync.rate_limits", "retry_backoff_max", Type.MILLISECONDS, "tg.sync.rate-limits.retry-backoff-max"),
      new Key("sync.rate_limits", "max_retries", Type.INTEGER, "tg.sync.rate-limits.max-retries"),
      new Key("sync.contacts", "full_sync_interval", Type.HOURS, "tg.sync.contacts.full-sync-interval"),
      new Key("sync.media", "enabled", Type.BOOLEAN, "tg.media.enabled"),
      new Key("sync.media", "max_concurrent_downloads", Type.INTEGER, "tg.media.max-concurrent-downloads"),
      new Key("sync.media", "max_megabytes_per_second", Type.MEGABYTES, "tg.media.max-bytes-per-second")),
      mediaPolicyKeys()).toList();

  private static final Map<String, Map<String, Key>> SECTIONS = KEYS.stream().collect(Collectors.groupingBy(
      Key::section, LinkedHashMap::new, Collectors.toMap(Key::name, key -> key, (a, b) -> a, LinkedHashMap::new)));

  private SyncToml() {}

  /** {@code [sync.media.p1]} to {@code [sync.media.p4]}: the largest file of each kind in megabytes, 0 for none. */
  private static Stream<Key> mediaPolicyKeys() {
    return MediaSettings.TIERS.stream().flatMap(tier -> MediaSettings.KINDS.stream().map(kind -> new Key(
        "sync.media." + tier.toLowerCase(Locale.ROOT), kind.replace('-', '_'), Type.MEGABYTES,
        "tg.media.policy." + tier + "." + kind)));
  }

  /** The HOCON keys the file sets; an empty config for an empty file. */
  public static Config read(Path file) {
    JsonNode root;
    try {
      root = TOML.readTree(file.toFile());
    } catch (JacksonException e) {
      throw new SettingsException(file, "(syntax)", "is not valid TOML: " + e.getOriginalMessage()
          + Optional.ofNullable(e.getLocation()).map(at -> " at line " + at.getLineNr()).orElse(""));
    } catch (IOException e) {
      throw new SettingsException(file, "(file)", "cannot be read: " + e.getMessage());
    }
    Map<String, Object> values = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return ConfigFactory.empty();
    }
    root.fields().forEachRemaining(top -> {
      if (!top.getKey().equals("sync") || !top.getValue().isObject()) {
        throw new SettingsException(file, top.getKey(), "is not a section of sync.toml (only [sync] and its "
            + "subsections " + String.join(", ", SECTIONS.keySet().stream().map(s -> "[" + s + "]").toList()) + ")");
      }
      readSection(file, "sync", top.getValue(), values);
    });
    return ConfigFactory.parseMap(values, "sync.toml " + file);
  }

  private static void readSection(Path file, String section, JsonNode table, Map<String, Object> values) {
    Map<String, Key> known = SECTIONS.get(section);
    table.fields().forEachRemaining(field -> {
      String name = field.getKey();
      JsonNode value = field.getValue();
      String path = section + "." + name;
      if (value.isObject() && SECTIONS.containsKey(path)) {
        readSection(file, path, value, values);
        return;
      }
      Key key = known == null ? null : known.get(name);
      if (key == null) {
        throw new SettingsException(file, path, "is not a known key" + (known == null ? ""
            : " of [" + section + "] (known: " + String.join(", ", known.keySet()) + ")"));
      }
      values.put(key.hoconPath(), convert(file, key, value));
    });
  }

  private static Object convert(Path file, Key key, JsonNode value) {
    switch (key.type()) {
      case BOOLEAN -> {
        if (!value.isBoolean()) {
          throw wrongType(file, key, value);
        }
        return value.booleanValue();
      }
      case INTEGER -> {
        if (!value.isIntegralNumber()) {
          throw wrongType(file, key, value);
        }
        if (!value.canConvertToInt()) {
          throw new SettingsException(file, key.tomlPath(), "is out of range: " + value);
        }
        notNegative(file, key, value.doubleValue());
        return value.intValue();
      }
      default -> {
        if (!value.isNumber()) {
          throw wrongType(file, key, value);
        }
        double number = value.doubleValue();
        if (!Double.isFinite(number)) {
          throw new SettingsException(file, key.tomlPath(), "must be a finite number, not " + value);
        }
        notNegative(file, key, number);
        return switch (key.type()) {
          case MILLISECONDS -> Math.round(number) + "ms";
          case SECONDS -> Math.round(number * 1_000) + "ms";
          case HOURS -> Math.round(number * 3_600_000) + "ms";
          case MEGABYTES -> Math.round(number * 1_000_000);
          default -> number;
        };
      }
    }
  }

  private static void notNegative(Path file, Key key, double number) {
    if (number < 0) {
      throw new SettingsException(file, key.tomlPath(), "must not be negative, not " + trim(number));
    }
  }

  private static SettingsException wrongType(Path file, Key key, JsonNode value) {
    String found = value.isTextual() ? "the string \"" + value.asText() + "\""
        : value.isBoolean() ? "the boolean " + value
        : value.isArray() ? "an array"
        : value.isObject() ? "a table"
        : value.isFloatingPointNumber() ? "the fraction " + value
        : value.toString();
    return new SettingsException(file, key.tomlPath(), "must be " + key.type().expected + ", not " + found);
  }

  private static String trim(double number) {
    return number == Math.rint(number) ? Long.toString((long) number) : Double.toString(number);
  }

  /** The sync.toml key that sets a HOCON path, if any. */
  public static Optional<Key> byHoconPath(String hoconPath) {
    return KEYS.stream().filter(key -> key.hoconPath().equals(hoconPath)).findFirst();
  }
}
