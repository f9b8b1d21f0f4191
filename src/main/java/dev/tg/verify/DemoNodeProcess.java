package dev.tg.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code tg node --demo} in its own JVM, as a user runs it: started, watched over HTTP, killed or stopped. */
final class DemoNodeProcess {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private final Process process;
  private final URI status;
  private final long startedAt = System.nanoTime();
  private final Instant started = Instant.now();
  private Instant readyAt;
  private boolean ended;

  private DemoNodeProcess(Process process, int port) {
    this.process = process;
    this.status = URI.create("http://127.0.0.1:" + port + "/status");
  }

  /** Starts the node with this JVM's java and classpath; its output goes to {@code log}. */
  static DemoNodeProcess start(Path config, int port, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java,
        // a small, quickly started JVM: the crash test starts many on two cores
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"),
        "dev.tg.cli.Main", "node", "--demo", "--config", config.toString()));
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    return new DemoNodeProcess(process, port);
  }

  /**
   * Writes a demo node's configuration to {@code file}: its data and config directories, HTTP on loopback
   * {@code port}, then {@code settings} (HOCON keys under {@code tg}).
   */
  static Path writeConfig(Path file, Path dataDir, Path configDir, int port, String settings) throws IOException {
    Files.writeString(file, """
        tg {
          data-dir = "%s"
          config-dir = "%s"
          http { host = "127.0.0.1", port = %d }
        %s}
        """.formatted(dataDir, configDir, port, settings.indent(2)));
    return file;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Duration uptime() {
    return Duration.ofNanos(System.nanoTime() - startedAt);
  }

  /** {@code GET /status}, or null while nothing answers yet. */
  JsonNode status() {
    if (!process.isAlive()) {
      throw new IllegalStateException("the node exited with code " + process.exitValue());
    }
    try {
      HttpResponse<String> response = HTTP.send(
          HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return null;
      }
      JsonNode status = JSON.readTree(response.body());
      if (readyAt == null && status.path("connection_state").asText().equals("ready")) {
        readyAt = Instant.now();
      }
      return status;
    } catch (ConnectException e) {
      return null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGKILL: no shutdown hook, no flush, exactly a crash; returns the run it ended. */
  NodeRuns.Run kill() throws InterruptedException {
    ended = true;
    process.destroyForcibly();
    Instant killed = Instant.now();
    process.waitFor();
    return new NodeRuns.Run(started, readyAt, killed);
  }

  /** The run so far, as if it ended now. */
  NodeRuns.Run run() {
    return new NodeRuns.Run(started, readyAt, Instant.now());
  }

  /** SIGTERM, then waits for the graceful stop; returns the exit code. */
  int stop(Duration patience) throws InterruptedException {
    ended = true;
    process.destroy();
    if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor();
      throw new IllegalStateException("the node did not stop within " + patience + " of SIGTERM");
    }
    return process.exitValue();
  }

  /** Ends the process whatever its state, for failures of the test itself. */
  void destroy() {
    ended = true;
    process.destroyForcibly();
  }

  /** Whether the node ended without being told to (a failure at start, a crash). */
  boolean exitedOnItsOwn() {
    return !ended && !process.isAlive();
  }
}
