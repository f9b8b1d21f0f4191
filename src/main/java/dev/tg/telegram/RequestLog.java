package dev.tg.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.config.OwnerOnlyFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request a node sends to TDLib and what comes back, as JSON lines (docs/tdlib.md): {@code {"ts", "account",
 * "request"}} for each request as sent, {@code {"ts", "account", "answer"}} for each answer (its {@code @type},
 * {@code @extra} and, for an error, code and message; whole when full), and with {@code full} every update as
 * {@code {"ts", "account", "update"}}. Secrets are replaced by {@code "***"}. Written by a thread of its own, so
 * that TDLib's receiver never waits for the disk.
 */
public final class RequestLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RequestLog.class);
  // api_hash, phone numbers, login and email codes, passwords, the database key, and the email address
  private static final Set<String> SECRETS = Set.of("api_hash", "phone_number", "phone_numbers", "code",
      "password", "new_password", "old_password", "database_encryption_key", "email_address");
  private static final String END = "";

  private final boolean full;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread writer;

  private RequestLog(Path file, boolean full) {
    this.full = full;
    OwnerOnlyFiles.createFile(file);
    BufferedWriter out;
    try {
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the request log " + file, e);
    }
    this.writer = new Thread(() -> write(out, file), "td-request-log");
    writer.setDaemon(true);
    writer.start();
  }

  /** Appends to {@code file} (created owner-only); {@code full} writes answers and updates whole. */
  public static RequestLog open(Path file, boolean full) {
    return new RequestLog(file, full);
  }

  void request(String account, ObjectNode request) {
    add(account, "request", request);
  }

  void answer(String account, ObjectNode answer) {
    if (full) {
      add(account, "answer", answer);
      return;
    }
    ObjectNode summary = TdDispatcher.JSON.createObjectNode().put("@type", answer.path("@type").asText());
    if (answer.has("@extra")) {
      summary.set("@extra", answer.get("@extra"));
    }
    if ("error".equals(answer.path("@type").asText())) {
      summary.put("code", answer.path("code").asInt()).put("message", answer.path("message").asText());
    }
    add(account, "answer", summary);
  }

  void update(String account, ObjectNode update) {
    if (full) {
      add(account, "update", update);
    }
  }

  private void add(String account, String kind, ObjectNode object) {
    ObjectNode line = TdDispatcher.JSON.createObjectNode().put("ts", Instant.now().toString()).put("account", account);
    line.set(kind, redacted(object));
    lines.add(line.toString());
  }

  /**
   * A copy without secrets: every value of a secret field, at any depth, becomes "***"; numbers stay (an error's
   * {@code code} is no login code).
   */
  static JsonNode redacted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = TdDispatcher.JSON.createObjectNode();
      node.fields().forEachRemaining(field -> copy.set(field.getKey(),
          SECRETS.contains(field.getKey()) && !field.getValue().isNumber()
              ? copy.textNode("***")
              : redacted(field.getValue())));
      return copy;
    }
    if (node.isArray()) {
      var copy = TdDispatcher.JSON.createArrayNode();
      node.forEach(element -> copy.add(redacted(element)));
      return copy;
    }
    return node;
  }

  private void write(BufferedWriter out, Path file) {
    try (out) {
      List<String> batch = new ArrayList<>();
      while (true) {
        batch.add(lines.take());
        lines.drainTo(batch);
        for (String line : batch) {
          if (line.equals(END)) {
            out.flush();
            return;
          }
          out.write(line);
          out.newLine();
        }
        batch.clear();
        out.flush();
      }
    } catch (IOException e) {
      log.error("the request log {} cannot be written any more: {}", file, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes what is queued, then closes the file. */
  @Override
  public void close() {
    lines.add(END);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
