package dev.tg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.config.NodeSettings;
import dev.tg.http.HttpJson;
import dev.tg.http.HttpToken;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The CLI's side of the HTTP API: the commands that need a running node go through here. */
final class NodeClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final String token;

  NodeClient(NodeSettings settings) {
    String host = settings.httpHost().contains(":") ? "[" + settings.httpHost() + "]" : settings.httpHost();
    this.base = "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + settings.httpPort();
    this.token = HttpToken.forClient(settings.httpHost(), settings.httpToken(), settings.dataDir());
  }

  /** The node is not listening: say so, and how to start it. */
  static final class NodeNotRunning extends RuntimeException {
    NodeNotRunning(String base) {
      super("the tg node is not running (nothing answers on " + base + "); start it with `tg node` "
          + "(or `tg node --demo`)");
    }
  }

  /** A 4xx or 5xx from the node, with its JSON error. */
  static final class NodeError extends RuntimeException {
    final int status;

    NodeError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  JsonNode post(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private JsonNode send(HttpRequest.Builder request) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = HttpJson.MAPPER.readTree(response.body());
      if (response.statusCode() >= 400) {
        throw new NodeError(response.statusCode(), body.path("error").asText("HTTP " + response.statusCode()));
      }
      return body;
    } catch (ConnectException e) {
      throw new NodeNotRunning(base);
    } catch (IOException e) {
      throw new NodeNotRunning(base);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
