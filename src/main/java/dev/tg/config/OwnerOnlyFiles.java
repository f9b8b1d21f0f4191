package dev.tg.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/** Data files readable by their owner only; SQLite gives its -wal and -shm files the same mode. */
public final class OwnerOnlyFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

  private OwnerOnlyFiles() {}

  /** Creates {@code dir} and its missing parents, each owner-only; parents that exist keep their mode. */
  public static Path createDirectories(Path dir) {
    try {
      Path absolute = dir.toAbsolutePath();
      Deque<Path> missing = new ArrayDeque<>();
      for (Path at = absolute; at != null && !Files.exists(at); at = at.getParent()) {
        missing.push(at);
      }
      for (Path created : missing) {
        try {
          Files.createDirectory(created, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } catch (FileAlreadyExistsException e) {
          // made meanwhile by another thread; its mode is set below
        }
        Files.setPosixFilePermissions(created, OWNER_ONLY_DIR);
      }
      Files.setPosixFilePermissions(absolute, OWNER_ONLY_DIR);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  public static Path createFile(Path file) {
    createDirectories(file.toAbsolutePath().getParent());
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      // an existing file keeps its mode; it was created here
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
    return file;
  }
}
