package dev.tg.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import dev.tg.config.OwnerOnlyFiles;
import dev.tg.config.SettingsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * What an account's TDLib needs besides its directory: the application's {@code api_id}/{@code api_hash}
 * (from my.telegram.org) and the key that encrypts TDLib's database.
 *
 * <p>Each comes from the configuration ({@code tg.telegram.api-id}, {@code api-hash},
 * {@code database-encryption-key}, which also read {@code TG_API_ID}, {@code TG_API_HASH},
 * {@code TG_DATABASE_ENCRYPTION_KEY}), else from the account's owner-only file {@value #FILE_NAME}, where
 * {@code tg login} keeps what it asked for and the key it generated. {@code toString} shows no secret.
 */
public final class TelegramCredentials {

  /** Kept in the account's directory, next to TDLib's session; readable by its owner only. */
  public static final String FILE_NAME = "telegram.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int KEY_BYTES = 32;

  private final int apiId;
  private final String apiHash;
  private final byte[] databaseEncryptionKey;
  private final boolean useTestDc;

  private TelegramCredentials(int apiId, String apiHash, byte[] databaseEncryptionKey, boolean useTestDc) {
    this.apiId = apiId;
    this.apiHash = apiHash;
    this.databaseEncryptionKey = databaseEncryptionKey.clone();
    this.useTestDc = useTestDc;
  }

  /** The application's identity, asked of the user when neither the configuration nor the file has it. */
  public interface ApiSource {
    /** Returns {@code api_id} and {@code api_hash}. */
    Api ask();
  }

  /** {@code api_id} and {@code api_hash} of the application registered at my.telegram.org. */
  public record Api(int apiId, String apiHash) {
    @Override
    public String toString() {
      return "Api[apiId=" + apiId + ", apiHash=(hidden)]";
    }
  }

  public int apiId() {
    return apiId;
  }

  public String apiHash() {
    return apiHash;
  }

  public byte[] databaseEncryptionKey() {
    return databaseEncryptionKey.clone();
  }

  /** Whether the account lives on Telegram's test servers ({@code tg login --test-dc}). */
  public boolean useTestDc() {
    return useTestDc;
  }

  /** The {@code setTdlibParameters} request of the account whose session lives in {@code sessionDir}. */
  public ObjectNode tdlibParameters(Path sessionDir) {
    return TdlibParameters.of(sessionDir, apiId, apiHash, databaseEncryptionKey, useTestDc);
  }

  /**
   * For the node, which never asks: the credentials of the account in {@code accountDir}, or empty when
   * {@code tg login} has not set it up (no api_id/api_hash, or no database key).
   */
  public static Optional<TelegramCredentials> existing(Config config, Path accountDir) {
    Config telegram = config.getConfig("tg.telegram");
    ObjectNode stored = read(accountDir.resolve(FILE_NAME));
    Optional<Api> api = configuredApi(telegram).or(() -> storedApi(stored));
    Optional<byte[]> key = configuredKey(telegram).or(() -> storedKey(stored));
    return api.isPresent() && key.isPresent()
        ? Optional.of(new TelegramCredentials(
            api.get().apiId(), api.get().apiHash(), key.get(), stored.path("use_test_dc").asBoolean()))
        : Optional.empty();
  }

  /**
   * For {@code tg login}: the credentials as configured or stored, asking {@code apiSource} for what is
   * missing and generating the database key on first use; what was asked or generated is stored owner-only
   * in {@code accountDir}, with {@code useTestDc} for the node to use the same servers.
   */
  public static TelegramCredentials obtain(Config config, Path accountDir, ApiSource apiSource, boolean useTestDc) {
    Config telegram = config.getConfig("tg.telegram");
    Path file = accountDir.resolve(FILE_NAME);
    ObjectNode stored = read(file);
    boolean changed = false;
    Optional<Api> api = configuredApi(telegram).or(() -> storedApi(stored));
    if (api.isEmpty()) {
      Api asked = apiSource.ask();
      check(asked);
      stored.put("api_id", asked.apiId()).put("api_hash", asked.apiHash());
      api = Optional.of(asked);
      changed = true;
    }
    Optional<byte[]> key = configuredKey(telegram).or(() -> storedKey(stored));
    if (key.isEmpty()) {
      byte[] generated = new byte[KEY_BYTES];
      new SecureRandom().nextBytes(generated);
      stored.put("database_encryption_key", Base64.getEncoder().encodeToString(generated));
      key = Optional.of(generated);
      changed = true;
    }
    if (stored.path("use_test_dc").asBoolean() != useTestDc) {
      stored.put("use_test_dc", useTestDc);
      changed = true;
    }
    if (changed) {
      write(file, stored);
    }
    return new TelegramCredentials(api.get().apiId(), api.get().apiHash(), key.get(), useTestDc);
  }

  private static Optional<Api> configuredApi(Config telegram) {
    String id = telegram.getString("api-id").strip();
    String hash = telegram.getString("api-hash").strip();
    if (id.isEmpty() || id.equals("0")) {
      if (!hash.isEmpty()) {
        throw new SettingsException("tg.telegram.api-id", "is missing while tg.telegram.api-hash is set");
      }
      return Optional.empty();
    }
    int apiId;
    try {
      apiId = Integer.parseInt(id);
    } catch (NumberFormatException e) {
      throw new SettingsException("tg.telegram.api-id", "must be the number from my.telegram.org");
    }
    if (hash.isEmpty()) {
      throw new SettingsException("tg.telegram.api-hash", "is missing while tg.telegram.api-id is set");
    }
    return Optional.of(new Api(apiId, hash));
  }

  private static Optional<byte[]> configuredKey(Config telegram) {
    String key = telegram.getString("database-encryption-key").strip();
    if (key.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Base64.getDecoder().decode(key));
    } catch (IllegalArgumentException e) {
      throw new SettingsException("tg.telegram.database-encryption-key", "must be base64");
    }
  }

  private static Optional<Api> storedApi(ObjectNode stored) {
    int apiId = stored.path("api_id").asInt();
    String apiHash = stored.path("api_hash").asText();
    return apiId > 0 && !apiHash.isEmpty() ? Optional.of(new Api(apiId, apiHash)) : Optional.empty();
  }

  private static Optional<byte[]> storedKey(ObjectNode stored) {
    JsonNode key = stored.get("database_encryption_key");
    return key == null ? Optional.empty() : Optional.of(Base64.getDecoder().decode(key.asText()));
  }

  private static void check(Api api) {
    if (api.apiId() <= 0 || api.apiHash() == null || !api.apiHash().matches("[0-9a-fA-F]{32}")) {
      throw new IllegalArgumentException(
          "api_id must be a positive number and api_hash 32 hexadecimal digits, as my.telegram.org shows them");
    }
  }

  private static ObjectNode read(Path file) {
    if (!Files.exists(file)) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(file.toFile());
      return node instanceof ObjectNode object ? object : JSON.createObjectNode();
    } catch (IOException e) {
      // the message names the file only: its content is secret
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  // written to an owner-only temporary file first, so the secret is never readable by others, even briefly
  private static void write(Path file, ObjectNode content) {
    Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.deleteIfExists(temporary);
      OwnerOnlyFiles.createFile(temporary);
      Files.writeString(temporary, content.toPrettyString() + "\n");
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  @Override
  public String toString() {
    return "TelegramCredentials[apiId=" + apiId + ", apiHash=(hidden), databaseEncryptionKey=(hidden)]";
  }
}
