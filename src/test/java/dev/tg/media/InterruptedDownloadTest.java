package dev.tg.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.archive.ArchiveStore;
import dev.tg.archive.MessageRecord;
import dev.tg.config.MediaSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download cut off at any point leaves no file marked done, and the next run of the node downloads it whole. */
class InterruptedDownloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "demo";
  private static final int SIZE = 300_000;

  @TempDir
  Path dir;

  @Test
  void aCutOffCopyIsNeverDoneAndResumesAfterARestart() throws IOException {
    byte[] bytes = new byte[SIZE];
    new SplittableRandom(5).nextBytes(bytes);
    MediaPolicy policy = new MediaPolicy(new MediaSettings(true, 1, 1 << 20, 3, Duration.ofSeconds(1),
        Map.of("P4", Map.of("voice-note", 1L << 20))));
    MediaStore store = new MediaStore(dir.resolve("media"));
    MediaTable.Pending pending;
    try (ArchiveStore archive = ArchiveStore.open(dir.resolve("archive.db"))) {
      archive.storeMessages(ACCOUNT, 7, List.of(MessageRecord.of(voiceNote(7, 1 << 20, SIZE))));
      archive.onConnection(MediaTable::ensure);
      int looked = archive.onConnection(connection -> MediaTable.scan(connection, ACCOUNT, policy, 100));
      assertThat(looked).isEqualTo(1);
      pending = archive.onConnection(connection -> MediaTable.claim(connection, ACCOUNT, 10, List.of())).get(0);
      // the copy breaks half way (the node is killed, the disk fails): it throws before anything is marked
      assertThatThrownBy(() -> store.put(breakingAfter(bytes, SIZE / 2), SIZE)).isInstanceOf(IOException.class);
      // TDLib answered with a file shorter than it said
      assertThatThrownBy(() -> store.put(new ByteArrayInputStream(bytes, 0, SIZE - 1), SIZE))
          .hasMessageContaining("not " + SIZE);
      assertThat(stateOf(archive)).isEqualTo("downloading");
    }
    assertThat(storedFiles()).as("nothing under a hash").isEmpty();
    // a kill -9 in the middle of a copy leaves its partial file behind
    Files.write(dir.resolve("media/tmp/download-1.part"), new byte[] {1, 2, 3});

    try (ArchiveStore archive = ArchiveStore.open(dir.resolve("archive.db"))) {
      int resumed = archive.onConnection(connection -> MediaTable.resumeInterrupted(connection, ACCOUNT));
      assertThat(resumed).isEqualTo(1);
      assertThat(stateOf(archive)).isEqualTo("pending");
      MediaStore restarted = new MediaStore(dir.resolve("media"));
      restarted.clearTemporary();
      MediaStore.Stored stored = restarted.put(new ByteArrayInputStream(bytes), SIZE);
      archive.onConnection(connection -> MediaTable.markDone(connection, ACCOUNT, pending.uniqueId(), stored));
      assertThat(stateOf(archive)).isEqualTo("done");
      Path file = dir.resolve("media").resolve(stored.path());
      assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
      assertThat(stored.path()).isEqualTo(stored.sha256().substring(0, 2) + "/" + stored.sha256());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("media"))))
          .isEqualTo("rwx------");

      // the same bytes again (another unique id, or a second try) are stored once
      MediaStore.Stored again = restarted.put(new ByteArrayInputStream(bytes), SIZE);
      assertThat(again).isEqualTo(stored);
      assertThat(storedFiles()).containsExactly(file);
    }
  }

  private String stateOf(ArchiveStore archive) {
    return archive.onConnection(connection -> {
      try (var select = connection.prepareStatement("SELECT state FROM media WHERE account = ?")) {
        select.setString(1, ACCOUNT);
        try (var rows = select.executeQuery()) {
          rows.next();
          return rows.getString(1);
        }
      }
    });
  }

  private List<Path> storedFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("media"))) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private static InputStream breakingAfter(byte[] bytes, int at) {
    return new InputStream() {
      private int position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (position >= at) {
          throw new IOException("cut off");
        }
        int n = Math.min(length, at - position);
        System.arraycopy(bytes, position, buffer, offset, n);
        position += n;
        return n;
      }
    };
  }

  private static ObjectNode voiceNote(long chatId, long messageId, int size) {
    ObjectNode message = JSON.createObjectNode().put("@type", "message").put("id", messageId).put("chat_id", chatId)
        .put("date", 1_700_000_000);
    message.putObject("sender_id").put("@type", "messageSenderUser").put("user_id", 5);
    ObjectNode content = message.putObject("content").put("@type", "messageVoiceNote");
    content.putObject("caption").put("@type", "formattedText").put("text", "").putArray("entities");
    ObjectNode file = content.putObject("voice_note").put("@type", "voiceNote").putObject("voice")
        .put("@type", "file").put("id", 12).put("size", size);
    file.putObject("remote").put("@type", "remoteFile").put("unique_id", "AgADvoice");
    return message;
  }
}
