package dev.tg.node;

import dev.tg.config.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The demo account's world begins at an epoch kept in the data directory, so that a restarted node meets every
 * message that "arrived" while it was down (the simulated world is a function of seed and time).
 */
public final class DemoWorld {
  private DemoWorld() {}

  public static Instant epoch(Path dataDir, String account) {
    Path file = dataDir.resolve("accounts").resolve(account).resolve("demo-epoch");
    try {
      if (Files.exists(file)) {
        return Instant.parse(Files.readString(file).strip());
      }
      Instant epoch = Instant.now();
      OwnerOnlyFiles.createFile(file);
      Files.writeString(file, epoch + "\n");
      return epoch;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the demo epoch in " + file, e);
    }
  }
}
