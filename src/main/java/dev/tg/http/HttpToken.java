package dev.tg.http;

import dev.tg.config.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The bearer token of the HTTP API. On loopback none is needed; on any other address the configured token is
 * used, or one is generated once into {@code <data-dir>/http-token}, readable by the owner only.
 */
public final class HttpToken {
  private HttpToken() {}

  public static String forBinding(String host, String configured, Path dataDir) {
    if (isLoopback(host)) {
      return configured.isBlank() ? null : configured;
    }
    return configured.isBlank() ? generated(dataDir) : configured;
  }

  /** The token a client on this machine should send, if any. */
  public static String forClient(String host, String configured, Path dataDir) {
    if (!configured.isBlank()) {
      return configured;
    }
    Path file = dataDir.resolve("http-token");
    return !isLoopback(host) && Files.isReadable(file) ? read(file) : null;
  }

  public static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String generated(Path dataDir) {
    Path file = dataDir.resolve("http-token");
    if (Files.exists(file)) {
      return read(file);
    }
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    try {
      Files.writeString(OwnerOnlyFiles.createFile(file), token + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return token;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
