package dev.tg.media;

import dev.tg.config.OwnerOnlyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The node's copies of downloaded files under {@code <data-dir>/media/}, content-addressed: a file's path is its
 * SHA-256 ({@code ab/abcdef...}), so bytes held by many messages or chats are stored once. A file is written to
 * {@code tmp/}, its size checked, synced and then renamed into place, the directory synced too: a file under its
 * hash is always whole. Owner-only, like the archive.
 */
final class MediaStore {
  /** A stored file: its hash, its path relative to the store, its size. */
  record Stored(String sha256, String path, long size) {}

  private static final String TEMPORARY = "tmp";

  private final Path root;

  MediaStore(Path root) {
    this.root = OwnerOnlyFiles.createDirectories(root);
    OwnerOnlyFiles.createDirectories(root.resolve(TEMPORARY));
  }

  Path root() {
    return root;
  }

  /** The bytes of {@code in}, which must be {@code expectedSize} long, stored durably; then the source may go. */
  Stored put(InputStream in, long expectedSize) throws IOException {
    Path partial = Files.createTempFile(root.resolve(TEMPORARY), "download-", ".part",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      MessageDigest digest = sha256();
      long copied;
      try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE);
          OutputStream out = new DigestOutputStream(Channels.newOutputStream(channel), digest)) {
        copied = in.transferTo(out);
        out.flush();
        if (copied != expectedSize) {
          throw new IOException("the file has " + copied + " bytes, not " + expectedSize);
        }
        channel.force(true);
      }
      String sha256 = HexFormat.of().formatHex(digest.digest());
      String relative = sha256.substring(0, 2) + "/" + sha256;
      Path target = root.resolve(relative);
      Path dir = OwnerOnlyFiles.createDirectories(target.getParent());
      if (Files.exists(target) && Files.size(target) == copied) {
        Files.delete(partial); // the same bytes came with another unique id
      } else {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync(dir);
      }
      return new Stored(sha256, relative, copied);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** Partial copies a killed node left behind: nothing refers to them. */
  void clearTemporary() throws IOException {
    try (DirectoryStream<Path> partials = Files.newDirectoryStream(root.resolve(TEMPORARY))) {
      for (Path partial : partials) {
        Files.deleteIfExists(partial);
      }
    }
  }

  private static void sync(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
