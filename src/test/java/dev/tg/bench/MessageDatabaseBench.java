package dev.tg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.simulator.LoginScript;
import dev.tg.simulator.SimulatedTdJson;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import dev.tg.telegram.TdJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What TDLib's own message database would cost ({@code scripts/bench --only messagedb}): the demo world's DMs and
 * small groups synced whole, once as the node runs (use_message_database false) and once with TDLib told to keep
 * its database, the archive's size and TDLib's directory measured after each. The simulator's database holds what
 * TDLib's does (every message it answered or announced, MessagesManager::add_message_to_database), as JSON.
 */
final class MessageDatabaseBench {
  private final Bench bench;

  MessageDatabaseBench(Bench bench) {
    this.bench = bench;
  }

  Map<String, Object> run() throws Exception {
    Map<String, Object> figures = bench.header("messagedb", "the demo world's P1 chats synced whole: the archive and "
        + "TDLib's directory in bytes, with TDLib's message database off (as the node runs) and on");
    Map<String, Object> off = sync(false);
    Map<String, Object> on = sync(true);
    figures.put("node", off);
    figures.put("baseline", on);
    double doubling = (long) on.get("tdlib_bytes") / (double) (long) on.get("archive_bytes");
    figures.put("tdlib_database_over_archive_when_on", Bench.round(doubling));
    figures.put("target", "with the database off TDLib keeps under a tenth of the archive's size");
    figures.put("met", (long) off.get("tdlib_bytes") < (long) off.get("archive_bytes") / 10);
    return figures;
  }

  private Map<String, Object> sync(boolean messageDatabase) throws Exception {
    SimulatedTelegram world = new SimulatedTelegram(WorldSpec.demo(7).withLiveTraffic(0, 0, 0), Instant.now(),
        Clock.systemUTC());
    Path dir = BenchNode.newDataDir(bench.work(), messageDatabase ? "messagedb-on" : "messagedb-off");
    Map<String, Object> overrides = Map.of("tg.sync.rate-limits.global-rps", 500, "tg.sync.rate-limits.per-chat-rps",
        100, "tg.sync.history-batch-interval", "0ms");
    TdJson tdjson = new SimulatedTdJson(world, LoginScript.AUTO);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("use_message_database", messageDatabase);
    long started = System.nanoTime();
    Path archive;
    Path session;
    try (BenchNode node = BenchNode.start(BenchNode.config(dir, overrides), world,
        messageDatabase ? new WithMessageDatabase(tdjson) : tdjson)) {
      Bench.waitFor(Duration.ofMinutes(5), () -> {
        JsonNode status = node.status();
        JsonNode whole = status == null ? null : status.path("chats").path("by_priority").path("P1");
        return whole != null && whole.path("total").asInt() > 0
            && whole.path("complete").asInt() == whole.path("total").asInt();
      });
      figures.put("sync_seconds", Bench.round((System.nanoTime() - started) / 1e9));
      figures.put("messages_archived", node.archived());
      archive = node.settings().archiveFile();
      session = node.settings().sessionDir(BenchNode.ACCOUNT);
      figures.put("tdlib_message_database_bytes", world.messageDatabaseBytes(session.resolve("db")));
    }
    // after the node closed: SQLite has checkpointed its write-ahead log into the file
    figures.put("archive_bytes", bytes(archive.getParent(), archive.getFileName().toString()));
    figures.put("tdlib_bytes", bytes(session, ""));
    world.close();
    return figures;
  }

  /** The bytes of the files under {@code dir} whose names start with {@code prefix} (with their -wal and -shm). */
  private static long bytes(Path dir, String prefix) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(file -> file.getFileName().toString().startsWith(prefix))
          .mapToLong(file -> {
            try {
              return Files.size(file);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The simulated TDLib told to keep its message database, whatever the node asks. */
  private record WithMessageDatabase(TdJson tdjson) implements TdJson {
    @Override
    public int createClientId() {
      return tdjson.createClientId();
    }

    @Override
    public void send(int clientId, String request) {
      tdjson.send(clientId, request.replace("\"use_message_database\":false", "\"use_message_database\":true"));
    }

    @Override
    public String receive(double timeoutSeconds) {
      return tdjson.receive(timeoutSeconds);
    }

    @Override
    public String execute(String request) {
      return tdjson.execute(request);
    }
  }
}
