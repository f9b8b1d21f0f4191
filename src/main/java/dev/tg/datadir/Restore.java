package dev.tg.datadir;

import dev.tg.archive.Integrity;
import dev.tg.config.NodeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts a backup into an empty data directory, after checking it whole: the manifest, every file's size and
 * SHA-256, both databases sound, and the counts the manifest promises. Nothing is copied until all of it holds.
 */
public final class Restore {
  private Restore() {}

  /** Checks the backup in {@code source} and copies it into the settings' data directory; answers its manifest. */
  public static Manifest restore(Path source, NodeSettings settings) {
    Manifest manifest = verify(source);
    Path dataDir = settings.dataDir();
    Backup.requireEmpty(dataDir);
    try (DataDirLock lock = DataDirLock.acquire(dataDir, "restore")) {
      Backup.requireEmpty(dataDir);
      for (Manifest.Entry entry : manifest.files()) {
        Backup.copyFile(source.resolve(entry.path()), dataDir.resolve(entry.path()));
      }
    }
    return manifest;
  }

  /** Every problem of a backup, or none; a backup with a problem is refused with all of them. */
  static Manifest verify(Path source) {
    Manifest manifest = Manifest.read(source);
    List<String> problems = new ArrayList<>();
    if (manifest.format() != Manifest.FORMAT) {
      problems.add("its format is " + manifest.format() + ", this tg reads format " + Manifest.FORMAT);
    }
    for (Manifest.Entry entry : manifest.files()) {
      Path file = source.resolve(entry.path()).normalize();
      if (!file.startsWith(source.normalize())) {
        problems.add(entry.path() + " lies outside the backup");
      } else if (!Files.isRegularFile(file)) {
        problems.add(entry.path() + " is missing");
      } else {
        problems.addAll(differences(entry, file));
      }
    }
    if (problems.isEmpty()) {
      for (String database : List.of("archive.db", "journal.db")) {
        Integrity.Report report = Integrity.check(source.resolve(database));
        if (!report.intact()) {
          problems.add(database + " is damaged: " + report.problems().get(0));
        }
      }
    }
    if (problems.isEmpty()) {
      Map<String, Long> counted = Manifest.counts(source.resolve("archive.db"), source.resolve("journal.db"));
      manifest.counts().forEach((what, promised) -> {
        if (!promised.equals(counted.get(what))) {
          problems.add(what + ": the manifest says " + promised + ", the backup holds " + counted.get(what));
        }
      });
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("the backup in " + source + " cannot be restored:\n  "
          + String.join("\n  ", problems));
    }
    return manifest;
  }

  private static List<String> differences(Manifest.Entry entry, Path file) {
    try {
      List<String> differences = new ArrayList<>();
      if (Files.size(file) != entry.size()) {
        differences.add(entry.path() + " has " + Files.size(file) + " bytes, the manifest says " + entry.size());
      } else if (!Manifest.sha256(file).equals(entry.sha256())) {
        differences.add(entry.path() + " does not match its checksum: it changed since the backup");
      }
      return differences;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
