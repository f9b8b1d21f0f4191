package dev.tg.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tg.cli.Cli;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node bound to a non-loopback address: it generates a token into an owner-only file and asks for it on every
 * route but /health. Also checks that the data files are readable by their owner only.
 */
class HttpTokenTest {
  @TempDir
  static Path dir;

  static Path dataDir;
  static String host;
  static ApiNode node;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    dataDir = dir.resolve("data");
    // a local non-loopback address if the machine has one; else all addresses, reached through loopback
    String bindHost = nonLoopbackAddress();
    host = bindHost == null ? "0.0.0.0" : bindHost;
    node = ApiNode.start(dataDir, null, Map.of("tg.http.host", host), bindHost == null ? "127.0.0.1" : bindHost);
    token = Files.readString(dataDir.resolve("http-token")).strip();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static String nonLoopbackAddress() throws Exception {
    for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!network.isUp() || network.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(network.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
          return address.getHostAddress();
        }
      }
    }
    return null;
  }

  @Test
  void everyRouteButHealthAndThePagesFilesNeedsTheToken() throws Exception {
    for (String path : List.of("/status", "/chats", "/contacts", "/chats/1", "/nope", "/metrics", "/search?q=a",
        "/chats/1/messages", "/messages/1/2/versions")) {
      ApiNode.Answer answer = node.get(path, null);
      assertThat(answer.status()).as(path).isEqualTo(401);
      assertThat(answer.contentType()).startsWith("application/json");
      assertThat(answer.body().path("error").asText()).contains("bearer token");
      assertThat(node.get(path, "wrong-" + token).status()).as(path).isEqualTo(401);
    }
    assertThat(node.get("/health", null).status()).isEqualTo(200);
    // the page's files hold no data: the page asks for the token and sends it with every API request
    for (String path : List.of("/", "/web/app.js")) {
      assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.uri(path)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void theTokenOpensTheRoutes() throws Exception {
    assertThat(node.get("/status", token).status()).isEqualTo(200);
    assertThat(node.get("/chats", token).status()).isEqualTo(200);
    assertThat(node.get("/chats/123", token).status()).isEqualTo(404);
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.uri("/metrics"))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("tg_chats{");
  }

  @Test
  void theCliFindsTheTokenFile() {
    Cli cli = Cli.of(dir, dataDir, node.port(), dir.resolve("config"), "tg.http.host = \"" + host + "\"");
    Cli.Result result = cli.run("status", "--json");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("\"daemon_running\" : true");
  }

  @Test
  void dataFilesAreOwnerOnly() throws Exception {
    assertThat(mode(dataDir)).isEqualTo("rwx------");
    assertThat(mode(dataDir.resolve("http-token"))).isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(dataDir)) {
      List<Path> databases = files.filter(file -> file.getFileName().toString().matches("(archive|journal)\\.db.*"))
          .toList();
      assertThat(databases).extracting(file -> file.getFileName().toString())
          .contains("archive.db", "archive.db-wal", "journal.db", "journal.db-wal");
      for (Path file : databases) {
        assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------");
      }
    }
    // accounts/<name>/tdlib (the session) is made by the TDLib side, the simulator here, not owner-only yet:
    // the node should create it with OwnerOnlyFiles before the client starts (see the issue 4 report)
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
