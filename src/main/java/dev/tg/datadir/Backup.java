package dev.tg.datadir;

import dev.tg.archive.Storage;
import dev.tg.config.NodeSettings;
import dev.tg.config.OwnerOnlyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A consistent copy of a data directory, taken while the node runs: the journal, then the archive (each one
 * SQLite snapshot, {@code VACUUM INTO}), then the accounts' sessions, then the manifest. The journal is copied
 * first because a cursor event is written only after its messages are stored: an archive copied later holds
 * everything the journal's cursors vouch for, so the journal is never ahead of the archive. Every file is
 * owner-only.
 */
public final class Backup {
  // a session file that changes while it is copied is copied again, this many times at most
  private static final int COPY_TRIES = 3;

  private Backup() {}

  /** Writes the backup into {@code dest} (which must not exist, or be empty); answers its manifest. */
  public static Manifest write(NodeSettings settings, Path dest) {
    if (!Files.isRegularFile(settings.archiveFile()) || !Files.isRegularFile(settings.journalFile())) {
      throw new IllegalArgumentException("nothing to back up in " + settings.dataDir()
          + ": run `tg node` first");
    }
    requireEmpty(dest);
    OwnerOnlyFiles.createDirectories(dest);
    requireRoom(settings, dest);
    List<Path> written = new ArrayList<>();
    written.add(snapshot(settings.journalFile(), dest.resolve("journal.db")));
    written.add(snapshot(settings.archiveFile(), dest.resolve("archive.db")));
    Path accounts = settings.dataDir().resolve("accounts");
    if (Files.isDirectory(accounts)) {
      written.addAll(copyTree(accounts, dest.resolve("accounts")));
    }
    Path token = settings.dataDir().resolve("http-token");
    if (Files.isRegularFile(token)) {
      written.add(copyFile(token, dest.resolve("http-token")));
    }
    Manifest manifest = new Manifest(Manifest.FORMAT, version(), Instant.now(), settings.dataDir().toString(),
        Manifest.counts(dest.resolve("archive.db"), dest.resolve("journal.db")),
        written.stream().map(file -> Manifest.entry(dest, file)).toList());
    manifest.write(dest);
    return manifest;
  }

  static void requireEmpty(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is not a directory");
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.anyMatch(entry -> !entry.getFileName().toString().equals(DataDirLock.FILE_NAME))) {
        throw new IllegalArgumentException(dir + " is not empty: give a new or an empty directory");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static void requireRoom(NodeSettings settings, Path dest) {
    try {
      long needed = 0;
      for (Path file : List.of(settings.archiveFile(), settings.journalFile())) {
        needed += Files.size(file);
      }
      long usable = Files.getFileStore(dest).getUsableSpace();
      if (usable < needed) {
        throw new IllegalArgumentException("not enough room in " + dest + ": the archive and the journal take up to "
            + Storage.bytes(needed) + ", " + Storage.bytes(usable) + " are free");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure the room in " + dest, e);
    }
  }

  /** One consistent copy of a live SQLite database, compacted; the node goes on writing meanwhile. */
  private static Path snapshot(Path database, Path copy) {
    Properties readOnly = new Properties();
    readOnly.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    readOnly.setProperty("busy_timeout", "10000");
    OwnerOnlyFiles.createFile(copy);
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database, readOnly);
        Statement statement = connection.createStatement()) {
      statement.execute("VACUUM INTO '" + copy.toAbsolutePath().toString().replace("'", "''") + "'");
      return copy;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot copy " + database + ": " + Storage.describe(e), e);
    }
  }

  /** The accounts' sessions and settings, without TDLib's cache of downloaded files. */
  private static List<Path> copyTree(Path source, Path target) {
    List<Path> copied = new ArrayList<>();
    try (Stream<Path> tree = Files.walk(source)) {
      for (Path path : tree.sorted().toList()) {
        Path relative = source.relativize(path);
        if (relative.getNameCount() >= 3 && relative.getName(1).toString().equals("tdlib")
            && relative.getName(2).toString().equals("files")) {
          continue;
        }
        Path to = target.resolve(relative.toString());
        if (Files.isDirectory(path)) {
          OwnerOnlyFiles.createDirectories(to);
        } else if (Files.isRegularFile(path)) {
          copied.add(copyFile(path, to));
        }
      }
      return copied;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + source, e);
    }
  }

  /** Copies a file that its owner may be writing (TDLib): again while it changed during the copy. */
  static Path copyFile(Path from, Path to) {
    try {
      OwnerOnlyFiles.createFile(to);
      for (int attempt = 1; ; attempt++) {
        BasicFileAttributes before = Files.readAttributes(from, BasicFileAttributes.class);
        // into the owner-only file made above, which keeps its mode
        try (InputStream in = Files.newInputStream(from);
            OutputStream out = Files.newOutputStream(to, StandardOpenOption.TRUNCATE_EXISTING)) {
          in.transferTo(out);
        }
        BasicFileAttributes after = Files.readAttributes(from, BasicFileAttributes.class);
        if (unchanged(before, after) || attempt == COPY_TRIES) {
          return to;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from, e);
    }
  }

  private static boolean unchanged(BasicFileAttributes before, BasicFileAttributes after) {
    FileTime modified = before.lastModifiedTime();
    return modified.equals(after.lastModifiedTime()) && before.size() == after.size();
  }

  private static String version() {
    String version = Backup.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
