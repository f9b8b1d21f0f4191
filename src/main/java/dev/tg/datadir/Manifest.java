package dev.tg.datadir;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tg.config.OwnerOnlyFiles;
import dev.tg.http.HttpJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a backup holds ({@code manifest.json}, written last): each file with its size and SHA-256, what the
 * databases count, the tg version that wrote it and when. A restore checks it all before it copies anything.
 *
 * @param files paths relative to the backup, with {@code /} between names
 */
public record Manifest(int format, String tgVersion, Instant createdAt, String source, Map<String, Long> counts,
    List<Entry> files) {
  public static final String FILE_NAME = "manifest.json";
  static final int FORMAT = 1;

  public record Entry(String path, long size, String sha256) {}

  void write(Path backup) {
    Path file = OwnerOnlyFiles.createFile(backup.resolve(FILE_NAME));
    try {
      Files.writeString(file, HttpJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static Manifest read(Path backup) {
    Path file = backup.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(backup + " is not a tg backup: it has no " + FILE_NAME);
    }
    try {
      return HttpJson.MAPPER.readValue(file.toFile(), new TypeReference<Manifest>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage(), e);
    }
  }

  static Entry entry(Path backup, Path file) {
    String relative = backup.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    try {
      return new Entry(relative, Files.size(file), sha256(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** What the backup's archive and journal hold: messages, chats, journal events, snapshots and chat actors. */
  static Map<String, Long> counts(Path archive, Path journal) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("messages", count(archive, "SELECT count(*) FROM messages"));
    counts.put("message_versions", count(archive, "SELECT count(*) FROM message_versions"));
    counts.put("chats", count(archive, "SELECT count(*) FROM chats"));
    counts.put("journal_events", count(journal, "SELECT count(*) FROM event_journal"));
    counts.put("snapshots", count(journal, "SELECT count(*) FROM snapshot"));
    counts.put("persistence_ids", count(journal, "SELECT count(DISTINCT persistence_id) FROM "
        + "(SELECT persistence_id FROM event_journal UNION SELECT persistence_id FROM snapshot)"));
    return counts;
  }

  private static long count(Path database, String sql) {
    Properties readOnly = new Properties();
    readOnly.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database, readOnly);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count in " + database + ": " + e.getMessage(), e);
    }
  }
}
