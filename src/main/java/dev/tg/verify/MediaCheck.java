package dev.tg.verify;

import dev.tg.archive.ArchiveLocation;
import dev.tg.config.NodeSettings;
import dev.tg.simulator.WorldFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The media part of the crash test: every file marked done must be on disk with the simulated world's exact bytes,
 * and after the final run no file may be left unfinished (pending or downloading).
 */
final class MediaCheck {
  record Report(long done, long wrongBytes, long unfinished, long failed, List<String> details) {
    long failures() {
      return wrongBytes + unfinished;
    }

    void print(PrintStream out) {
      out.printf("media files done: %d, failed for good: %d%n", done, failed);
      out.printf("media done with bytes unlike the world's: %d%n", wrongBytes);
      out.printf("media never finished: %d%n", unfinished);
      details.stream().limit(20).forEach(line -> out.println("  " + line));
    }
  }

  private MediaCheck() {}

  static Report check(NodeSettings settings) {
    ArchiveLocation location = ArchiveLocation.of(settings);
    try (Connection archive = location.openForReading();
        Statement statement = archive.createStatement()) {
      try (ResultSet table = archive.getMetaData().getTables(null, null, "media", new String[] {"TABLE"})) {
        if (!table.next()) {
          return new Report(0, 0, 0, 0, List.of("no media table: no file was ever looked at"));
        }
      }
      long done = 0;
      long wrong = 0;
      long unfinished = 0;
      long failed = 0;
      List<String> details = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery(
          "SELECT chat_id, message_id, unique_id, size, state, path FROM media")) {
        while (rows.next()) {
          String state = rows.getString("state");
          String what = "message " + rows.getLong("message_id") + " of chat " + rows.getLong("chat_id");
          switch (state) {
            case "done" -> {
              done++;
              byte[] expected = WorldFiles.content(rows.getString("unique_id"), rows.getInt("size"));
              Path file = settings.mediaDir().resolve(rows.getString("path"));
              if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), expected)) {
                wrong++;
                details.add(what + ": " + file + " is not the world's file");
              }
            }
            case "pending", "downloading" -> {
              unfinished++;
              details.add(what + ": still " + state);
            }
            case "failed" -> failed++;
            default -> { }
          }
        }
      }
      return new Report(done, wrong, unfinished, failed, details);
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot check the media of " + location.describe(), e);
    }
  }
}
