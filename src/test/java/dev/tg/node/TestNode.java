package dev.tg.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.tg.archive.Archive;
import dev.tg.archive.ArchiveLocation;
import dev.tg.cluster.SharedDatabase;
import dev.tg.config.NodeSettings;
import dev.tg.config.TgConfig;
import dev.tg.simulator.LoginScript;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.telegram.RequestLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.actor.typed.ActorSystem;
import org.awaitility.Awaitility;

/**
 * A real node for tests: the real journal and archive files in a temporary directory, the real HTTP route on
 * a free loopback port, one simulated account ("demo") on the given world.
 */
public final class TestNode implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Random RANDOM = new Random();

  private final Path dataDir;
  private final SimulatedTelegram world;
  private final Config config;
  private final NodeSettings settings;
  private final HttpClient http = HttpClient.newHttpClient();
  private final LoginScript login;
  private NodeLauncher.RunningNode running;
  private SimulatedTdlib tdlib;

  private TestNode(Path dataDir, SimulatedTelegram world, Map<String, Object> overrides, Config extra,
      LoginScript login) {
    this.dataDir = dataDir;
    this.world = world;
    this.login = login;
    Config loaded = TgConfig.load(null)
        .withValue("tg.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()))
        .withValue("tg.http.port", ConfigValueFactory.fromAnyRef(freePort()));
    for (Map.Entry<String, Object> override : overrides.entrySet()) {
      loaded = loaded.withValue(override.getKey(), ConfigValueFactory.fromAnyRef(override.getValue()));
    }
    this.config = extra.withFallback(loaded);
    this.settings = NodeSettings.from(config);
  }

  /** Settings that backfill quickly: tests prove correctness, not pacing (unless they set their own). */
  public static Map<String, Object> fast() {
    Map<String, Object> fast = new LinkedHashMap<>();
    fast.put("tg.sync.rate-limits.global-rps", 500);
    fast.put("tg.sync.rate-limits.per-chat-rps", 100);
    fast.put("tg.sync.max-concurrent-jobs", 8);
    fast.put("tg.sync.history-batch-interval", "0ms");
    return fast;
  }

  public static TestNode start(Path dataDir, SimulatedTelegram world, Map<String, Object> overrides) {
    return start(dataDir, world, overrides, ConfigFactory.empty());
  }

  /** With {@code extra} configuration over everything, e.g. another journal plugin. */
  public static TestNode start(Path dataDir, SimulatedTelegram world, Map<String, Object> overrides, Config extra) {
    return start(dataDir, world, overrides, extra, LoginScript.AUTO);
  }

  /** Whose simulated TDLib logs in as {@code login} says when it finds no session (the demo logs in by itself). */
  public static TestNode start(Path dataDir, SimulatedTelegram world, Map<String, Object> overrides,
      LoginScript login) {
    return start(dataDir, world, overrides, ConfigFactory.empty(), login);
  }

  private static TestNode start(Path dataDir, SimulatedTelegram world, Map<String, Object> overrides, Config extra,
      LoginScript login) {
    TestNode node = new TestNode(dataDir, world, overrides, extra, login);
    node.startSystem();
    return node;
  }

  private void startSystem() {
    RequestLog requestLog = NodeLauncher.requestLog(settings);
    tdlib = SimulatedTdlib.of(world, NodeLauncher.DEMO_ACCOUNT, requestLog, login);
    running = NodeLauncher.start(config, settings,
        List.of(NodeLauncher.demoPlan(settings, NodeLauncher.DEMO_ACCOUNT, tdlib.dispatcher())), List.of(),
        requestLog);
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> get("/health").path("status").asText().equals("ok"));
  }

  public SimulatedTelegram world() {
    return world;
  }

  public Config config() {
    return config;
  }

  public ActorSystem<?> system() {
    return running.system();
  }

  /** The archive the node writes with. */
  public Archive archive() {
    return running.archive().toCompletableFuture().join();
  }

  public Path dataDir() {
    return dataDir;
  }

  public NodeSettings settings() {
    return settings;
  }

  /** Stops the actor system (the node's process would die here) and starts a new one on the same files. */
  public void restart() {
    stop();
    startSystem();
  }

  /** Stops the node; what crossed TDLib's interface while it ran must have followed TDLib's schema. */
  public void stop() {
    running.stop();
    assertThat(tdlib.judged().violations()).as("requests and objects that TDLib 1.8.65's schema refuses")
        .isEmpty();
  }

  public JsonNode get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public JsonNode post(String path) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  public JsonNode status() {
    return get("/status");
  }

  /** Every enabled, accessible chat has its whole history. */
  public boolean enabledChatsComplete() {
    JsonNode chats = status().path("chats");
    return chats.path("total_chats").asInt() > 0
        && chats.path("sync_enabled").asInt() == chats.path("fully_synced").asInt()
        && status().path("active_jobs").isEmpty();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + settings.httpPort() + path);
  }

  private JsonNode send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("node not answering on " + settings.httpPort(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Rows of a query on the archive, read on a connection of the test's own. */
  public List<Map<String, Object>> query(String sql, Object... values) {
    return query(ArchiveLocation.of(settings), sql, values);
  }

  /** Rows of a query on an SQLite file, as column-name maps. */
  public static List<Map<String, Object>> query(Path file, String sql, Object... values) {
    return query(new ArchiveLocation.SqliteFile(file), sql, values);
  }

  /** Rows of a query on an archive, as column-name maps. */
  public static List<Map<String, Object>> query(ArchiveLocation archive, String sql, Object... values) {
    try (Connection connection = archive.openForReading();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 1, values[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        List<Map<String, Object>> result = new ArrayList<>();
        while (rows.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
            row.put(rows.getMetaData().getColumnLabel(c), rows.getObject(c));
          }
          result.add(row);
        }
        return result;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A connection to the node's journal, in its data directory or on the shared PostgreSQL. */
  public static Connection journal(NodeSettings settings) throws SQLException {
    return settings.database().onPostgres()
        ? new SharedDatabase(settings.database().postgres()).connect()
        : DriverManager.getConnection(JournalDatabase.url(settings.journalFile()));
  }

  /**
   * A free loopback port below the kernel's ephemeral range (32768 and up): a port the kernel hands out may be taken
   * again as the local end of an outgoing connection (a node opens dozens to PostgreSQL) before the node binds it.
   */
  public static int freePort() {
    while (true) {
      int port = 20_000 + RANDOM.nextInt(12_000);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // another one
      }
    }
  }

  @Override
  public void close() {
    stop();
    world.close();
  }
}
