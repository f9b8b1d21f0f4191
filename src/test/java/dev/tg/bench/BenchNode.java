package dev.tg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.tg.archive.ArchiveLocation;
import dev.tg.config.NodeSettings;
import dev.tg.config.TgConfig;
import dev.tg.node.NodeLauncher;
import dev.tg.node.TestNode;
import dev.tg.simulator.LoginScript;
import dev.tg.simulator.SimulatedTdJson;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.telegram.TdDispatcher;
import dev.tg.telegram.TdJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A node in this JVM on one simulated account, as the demo runs it, with read access for measuring. */
final class BenchNode implements AutoCloseable {
  static final String ACCOUNT = NodeLauncher.DEMO_ACCOUNT;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeSettings settings;
  private final NodeLauncher.RunningNode running;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final URI status;
  private Connection reader;

  private BenchNode(NodeSettings settings, NodeLauncher.RunningNode running) {
    this.settings = settings;
    this.running = running;
    this.status = URI.create("http://127.0.0.1:" + settings.httpPort() + "/status");
  }

  /** The configuration a node in {@code dataDir} runs with: defaults, then {@code overrides}. */
  static Config config(Path dataDir, Map<String, Object> overrides) {
    Config config = TgConfig.load(null)
        .withValue("tg.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()))
        .withValue("tg.config-dir", ConfigValueFactory.fromAnyRef(dataDir.resolve("config").toString()))
        .withValue("tg.http.port", ConfigValueFactory.fromAnyRef(TestNode.freePort()));
    for (Map.Entry<String, Object> override : overrides.entrySet()) {
      config = config.withValue(override.getKey(), ConfigValueFactory.fromAnyRef(override.getValue()));
    }
    return config;
  }

  static BenchNode start(Config config, SimulatedTelegram world) {
    return start(config, world, new SimulatedTdJson(world, LoginScript.AUTO));
  }

  /** On {@code world} through {@code tdjson}, a simulated TDLib of that world (perhaps wrapped). */
  static BenchNode start(Config config, SimulatedTelegram world, TdJson tdjson) {
    NodeSettings settings = NodeSettings.from(config);
    NodeLauncher.RunningNode running = NodeLauncher.start(config, settings,
        List.of(NodeLauncher.demoPlan(settings, ACCOUNT, new TdDispatcher(tdjson, ACCOUNT))), List.of(world), null);
    return new BenchNode(settings, running);
  }

  NodeSettings settings() {
    return settings;
  }

  /** Messages archived so far, from the counters kept in the same transaction as the rows. */
  long archived() {
    return queryLong("SELECT COALESCE(SUM(archived), 0) FROM chat_message_counts");
  }

  /** When the node inserted the row (its {@code archived_at}, set in the writing transaction), or null if absent. */
  Instant archivedAt(long chatId, long messageId) {
    try {
      PreparedStatement select = reader().prepareStatement(
          "SELECT archived_at FROM messages WHERE account = ? AND chat_id = ? AND message_id = ?");
      select.setString(1, ACCOUNT);
      select.setLong(2, chatId);
      select.setLong(3, messageId);
      try (select; ResultSet row = select.executeQuery()) {
        return row.next() ? Instant.parse(row.getString(1)) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  long queryLong(String sql) {
    try (PreparedStatement select = reader().prepareStatement(sql); ResultSet row = select.executeQuery()) {
      return row.next() ? row.getLong(1) : 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code GET /status}, or null while the route is not bound yet. */
  JsonNode status() {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(10))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Connection reader() throws SQLException {
    if (reader == null) {
      reader = ArchiveLocation.of(settings).openForReading();
    }
    return reader;
  }

  @Override
  public void close() {
    try {
      if (reader != null) {
        reader.close();
      }
    } catch (SQLException e) {
      // closing a reader changes nothing measured
    }
    running.stop();
  }

  static Path newDataDir(Path root, String name) {
    try {
      return Files.createDirectories(root.resolve(name + "-" + System.nanoTime()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
