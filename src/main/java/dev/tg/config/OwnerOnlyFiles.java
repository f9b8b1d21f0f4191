package dev.tg.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Data files readable by their owner only; SQLite gives its -wal and -shm files the same mode. */
public final class OwnerOnlyFiles {
  private OwnerOnlyFiles() {}

  public static Path createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
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
