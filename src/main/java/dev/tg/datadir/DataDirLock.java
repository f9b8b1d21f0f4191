package dev.tg.datadir;

import dev.tg.config.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The data directory's lock ({@code node.lock}): held by the one process that writes there (a node, a restore, a
 * repair), and naming it. The operating system releases it when that process ends, even by {@code kill -9}, so a
 * lock file left behind never blocks anyone.
 */
public final class DataDirLock implements AutoCloseable {
  public static final String FILE_NAME = "node.lock";

  /** Another process holds the lock; its message names it. */
  public static final class Held extends RuntimeException {
    Held(String message) {
      super(message);
    }
  }

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock for {@code purpose} ("node", "restore"), or fails naming the process that has it. */
  public static DataDirLock acquire(Path dataDir, String purpose) {
    Path file = OwnerOnlyFiles.createFile(OwnerOnlyFiles.createDirectories(dataDir).resolve(FILE_NAME));
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException thisProcess) {
        lock = null;
      }
      if (lock == null) {
        String[] holder = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ", 3);
        channel.close();
        throw new Held(holder.length < 3 ? "another tg process is using " + dataDir + "; stop it first"
            : "another tg " + holder[1] + " (pid " + holder[0] + ", since " + holder[2] + ") is using " + dataDir
                + "; stop it first, or give this one another data directory (tg.data-dir)");
      }
      channel.truncate(0);
      // what the next one to try reads: pid, purpose, since
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + " " + purpose + " " + Instant.now() + "\n")
          .getBytes(StandardCharsets.UTF_8)));
      channel.force(false);
      return new DataDirLock(channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the data directory's lock", e);
    }
  }
}
