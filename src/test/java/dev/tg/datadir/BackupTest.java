package dev.tg.datadir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigValueFactory;
import dev.tg.archive.SampleArchive;
import dev.tg.config.NodeSettings;
import dev.tg.config.TgConfig;
import dev.tg.node.JournalDatabase;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup's manifest, and a restore that checks it all before it copies anything. */
class BackupTest {
  @TempDir
  Path dir;

  NodeSettings source;
  Manifest manifest;

  @BeforeEach
  void aBackup() throws Exception {
    source = settings("data");
    SampleArchive.create(source.dataDir());
    JournalDatabase.prepare(source.journalFile());
    Path session = Files.createDirectories(source.sessionDir("demo").resolve("db"));
    Files.writeString(session.resolve("td.binlog"), "a session");
    Files.createDirectories(source.sessionDir("demo").resolve("files"));
    Files.writeString(source.sessionDir("demo").resolve("files").resolve("photo.jpg"), "TDLib's download cache");
    manifest = Backup.write(source, dir.resolve("backup"));
  }

  @Test
  void theManifestCountsAndChecksumsWhatTheBackupHolds() throws Exception {
    assertThat(manifest.counts()).containsEntry("messages", 39L).containsEntry("chats", 6L)
        .containsEntry("journal_events", 0L);
    assertThat(manifest.files()).extracting(Manifest.Entry::path)
        .containsExactly("journal.db", "archive.db", "accounts/demo/tdlib/db/td.binlog");
    Manifest.Entry session = manifest.files().get(2);
    assertThat(session.sha256()).isEqualTo(Manifest.sha256(dir.resolve("backup").resolve(session.path())));
    assertThat(Files.exists(dir.resolve("backup/manifest.json"))).isTrue();
  }

  @Test
  void aRestoreCopiesEveryFileIntoAnEmptyDataDirectory() throws Exception {
    NodeSettings target = settings("restored");
    Restore.restore(dir.resolve("backup"), target);
    for (Manifest.Entry entry : manifest.files()) {
      assertThat(Manifest.sha256(target.dataDir().resolve(entry.path()))).as(entry.path()).isEqualTo(entry.sha256());
    }
    assertThat(DataDirCheck.damaged(target)).isEmpty();
  }

  @Test
  void aDataDirectoryInUseOrNotEmptyIsRefused() throws Exception {
    assertThatThrownBy(() -> Restore.restore(dir.resolve("backup"), source))
        .hasMessageContaining("is not empty");
    assertThatThrownBy(() -> Backup.write(source, source.dataDir()))
        .hasMessageContaining("is not empty");
  }

  @Test
  void aBackupThatChangedSinceIsRefusedAndNothingIsCopied() throws Exception {
    try (RandomAccessFile archive = new RandomAccessFile(dir.resolve("backup/archive.db").toFile(), "rw")) {
      archive.seek(archive.length() - 10);
      archive.write(42);
    }
    NodeSettings target = settings("restored");
    assertThatThrownBy(() -> Restore.restore(dir.resolve("backup"), target))
        .hasMessageContaining("cannot be restored")
        .hasMessageContaining("archive.db does not match its checksum");
    assertThat(Files.exists(target.dataDir())).isFalse();
  }

  @Test
  void aDirectoryWithoutAManifestIsNoBackup() throws Exception {
    Files.delete(dir.resolve("backup/manifest.json"));
    assertThatThrownBy(() -> Restore.restore(dir.resolve("backup"), settings("restored")))
        .hasMessageContaining("is not a tg backup: it has no manifest.json");
  }

  private NodeSettings settings(String dataDir) {
    return NodeSettings.from(TgConfig.load(null)
        .withValue("tg.data-dir", ConfigValueFactory.fromAnyRef(dir.resolve(dataDir).toString())));
  }
}
