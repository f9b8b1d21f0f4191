package dev.tg.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.tg.config.NodeSettings;
import dev.tg.config.TgConfig;
import dev.tg.node.NodeLauncher;
import dev.tg.node.SimulatedTdlib;
import dev.tg.node.TestNode;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A demo node for the API and CLI tests: a tiny simulated world, the real archive and journal in a temporary
 * directory, the HTTP API on a free port. {@code syncToml} may be null.
 */
public final class ApiNode implements AutoCloseable {
  private final SimulatedTelegram world;
  private final NodeSettings settings;
  private final NodeLauncher.RunningNode running;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String connectHost;

  /** An answer: status code and JSON body. */
  public record Answer(int status, JsonNode body, String contentType) {}

  private ApiNode(Path dataDir, Path syncToml, Map<String, Object> overrides, long seed, String connectHost) {
    this.connectHost = connectHost;
    // an explicit file, even empty, keeps the user's own ~/.config/tg/sync.toml out of the tests
    Config config = TgConfig.load(null, syncToml != null ? syncToml : emptyToml(dataDir))
        .withValue("tg.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()))
        .withValue("tg.http.port", ConfigValueFactory.fromAnyRef(TestNode.freePort()));
    for (Map.Entry<String, Object> override : overrides.entrySet()) {
      config = config.withValue(override.getKey(), ConfigValueFactory.fromAnyRef(override.getValue()));
    }
    settings = NodeSettings.from(config);
    world = new SimulatedTelegram(WorldSpec.tiny(seed), Instant.now(), Clock.systemUTC());
    running = NodeLauncher.start(config, settings,
        List.of(NodeLauncher.demoPlan(settings, NodeLauncher.DEMO_ACCOUNT,
            SimulatedTdlib.of(world, NodeLauncher.DEMO_ACCOUNT).dispatcher())), List.of(world), null);
  }

  public static ApiNode start(Path dataDir, Path syncToml, Map<String, Object> overrides) {
    return start(dataDir, syncToml, overrides, "127.0.0.1");
  }

  /** A node asked through {@code connectHost}; it waits until the node answers /health. */
  public static ApiNode start(Path dataDir, Path syncToml, Map<String, Object> overrides, String connectHost) {
    ApiNode node = new ApiNode(dataDir, syncToml, overrides, 7, connectHost);
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> node.get("/health", null).status() == 200);
    return node;
  }

  /** Waits until /status counts every chat of the world the node can see: the chat list loads in pages. */
  public void awaitEveryChatListed() {
    int expected = SimulatedTdlib.chatsTheNodeSees(world).size();
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> get("/status").body().path("chats").path("total_chats").asInt() == expected);
  }

  public SimulatedTelegram world() {
    return world;
  }

  public NodeSettings settings() {
    return settings;
  }

  public int port() {
    return settings.httpPort();
  }

  public Answer get(String path) {
    return get(path, null);
  }

  public Answer get(String path, String token) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), token);
  }

  public Answer post(String path) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), null);
  }

  public Answer send(HttpRequest.Builder request, String token) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), HttpJson.MAPPER.readTree(response.body()),
          response.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new IllegalStateException("node not answering on " + port(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    String host = connectHost.contains(":") ? "[" + connectHost + "]" : connectHost;
    return URI.create("http://" + host + ":" + port() + path);
  }

  private static Path emptyToml(Path dataDir) {
    try {
      Path file = dataDir.toAbsolutePath().resolveSibling(dataDir.getFileName() + "-sync.toml");
      java.nio.file.Files.writeString(file, "");
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }


  @Override
  public void close() {
    running.stop();
  }
}
