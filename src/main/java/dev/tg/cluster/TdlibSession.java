package dev.tg.cluster;

import dev.tg.cluster.AccountLeases.Lease;
import dev.tg.cluster.SessionStore.SavedSession;
import dev.tg.config.OwnerOnlyFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * An account's TDLib session carried through the shared database: the copy is restored into the session directory
 * before TDLib starts there, and saved from it while and after TDLib runs.
 *
 * <p>What is carried is TDLib's binlog alone, {@code db/td.binlog} ({@code td_test.binlog} on the test DC; TdDb.cpp
 * get_binlog_path). Its key-value part (the binlog pmc) holds what makes the session: the authorization
 * ({@code auth}, AuthManager), the auth key of each data center ({@code auth<dc>}, net/AuthDataShared.cpp), the
 * update state ({@code updates.pts}, {@code updates.qts}, {@code updates.date}, UpdatesManager::save_pts) and the
 * key of the SQLite database ({@code sqlite_key}, TdDb::open_impl). It is encrypted with the account's database
 * key when there is one, so the copy in the database is too. {@code db.sqlite} (the file and chat-info databases)
 * is left behind: TDLib rebuilds it, a database it has to create anew next to an existing binlog is a case it
 * handles (TdDb::init_sqlite drops the binlog keys that referred to it when {@code user_version} is 0, and
 * destroys one it cannot open), and copying it while TDLib writes it would not be consistent. The files directory
 * (downloads) is not carried either: the node keeps its media in its own store.
 *
 * <p>A copy taken while TDLib runs is what TDLib would find after a crash at that moment, which its binlog is built
 * for: events are only appended, Binlog::load_binlog stops at a partial last event and truncates it, and a
 * reindex writes {@code td.binlog.new} before it unlinks {@code td.binlog} and renames the new one over it, so the
 * old file read through its open handle is whole, and Binlog::init takes {@code .new} when {@code td.binlog} is
 * missing, as this copy does.
 *
 * <p>{@value #COPY_STAMP} in the session directory names the fencing value of the copy the local files are (or
 * have grown from since): when the database holds that same copy, the local files are as new or newer, and are kept.
 */
public final class TdlibSession {
  private static final List<String> BINLOGS = List.of("db/td.binlog", "db/td_test.binlog");
  // TdDb.cpp get_sqlite_path, with SQLite's side files: its key lives in the binlog being replaced
  private static final List<String> REPLACED_WITH_THE_BINLOG = List.of("db/db.sqlite", "db/db_test.sqlite");
  private static final List<String> SQLITE_SIDE_FILES = List.of("", "-wal", "-shm", "-journal");
  static final String COPY_STAMP = "session-copy";

  private final SessionStore store;
  private final Path sessionDir;

  public TdlibSession(SessionStore store, Path sessionDir) {
    this.store = store;
    this.sessionDir = sessionDir;
  }

  /** What a restore found: the copy it put in place, or empty when the local files were kept. */
  public Optional<SavedSession> restore(String account) throws SQLException {
    Optional<SavedSession> saved = store.load(account);
    if (saved.isEmpty() || (localCopy().equals(OptionalLong.of(saved.get().fencing())) && hasBinlog())) {
      return Optional.empty();
    }
    replaceWith(saved.get().files());
    stamp(saved.get().fencing());
    return saved;
  }

  /**
   * Saves the local session under {@code lease}; false when there is none yet, or the lease is not current. One save
   * at a time, so that the last one called, after TDLib has closed, is the one the database keeps.
   */
  public synchronized boolean save(Lease lease) throws SQLException {
    Optional<byte[]> files = pack();
    if (files.isEmpty() || !store.save(lease, files.get())) {
      return false;
    }
    stamp(lease.fencing());
    return true;
  }

  private boolean hasBinlog() {
    return BINLOGS.stream().anyMatch(binlog -> Files.exists(sessionDir.resolve(binlog))
        || Files.exists(sessionDir.resolve(binlog + ".new")));
  }

  Optional<byte[]> pack() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean any = false;
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String binlog : BINLOGS) {
        Optional<InputStream> opened = open(binlog).or(() -> open(binlog + ".new"));
        if (opened.isEmpty()) {
          continue;
        }
        any = true;
        zip.putNextEntry(new ZipEntry(binlog));
        try (InputStream in = opened.get()) {
          in.transferTo(zip);
        }
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TDLib session in " + sessionDir, e);
    }
    return any ? Optional.of(bytes.toByteArray()) : Optional.empty();
  }

  private Optional<InputStream> open(String file) {
    try {
      return Optional.of(Files.newInputStream(sessionDir.resolve(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + sessionDir.resolve(file), e);
    }
  }

  /** The session directory's binlogs become those of {@code files}; what TDLib derived from the old ones goes. */
  void replaceWith(byte[] files) {
    try {
      List<String> replaced = new ArrayList<>();
      for (String binlog : BINLOGS) {
        replaced.add(binlog);
        replaced.add(binlog + ".new");
      }
      for (String database : REPLACED_WITH_THE_BINLOG) {
        SQLITE_SIDE_FILES.forEach(side -> replaced.add(database + side));
      }
      for (String file : replaced) {
        Files.deleteIfExists(sessionDir.resolve(file));
      }
      try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(files))) {
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
          // only the names this class writes: a copy cannot place a file anywhere else
          if (!BINLOGS.contains(entry.getName())) {
            throw new IllegalArgumentException("a saved session holds an unexpected file " + entry.getName());
          }
          writeOwnerOnly(sessionDir.resolve(entry.getName()), zip);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore the TDLib session in " + sessionDir, e);
    }
  }

  OptionalLong localCopy() {
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(sessionDir.resolve(COPY_STAMP)).strip()));
    } catch (NoSuchFileException | NumberFormatException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + sessionDir.resolve(COPY_STAMP), e);
    }
  }

  private void stamp(long fencing) {
    try {
      writeOwnerOnly(sessionDir.resolve(COPY_STAMP), new ByteArrayInputStream((fencing + "\n").getBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + sessionDir.resolve(COPY_STAMP), e);
    }
  }

  // written whole to an owner-only temporary file, then moved in place: TDLib never finds half a binlog
  private static void writeOwnerOnly(Path file, InputStream content) throws IOException {
    OwnerOnlyFiles.createDirectories(file.getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    OwnerOnlyFiles.createFile(temporary);
    try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.TRUNCATE_EXISTING)) {
      content.transferTo(out);
    }
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
