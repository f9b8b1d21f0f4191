package dev.tg.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.node.TestNode;
import dev.tg.node.SimulatedTdlib;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route over a real loopback binding, its errors, and a storm of malformed requests. */
class HttpApiTest {
  @TempDir
  static Path dir;

  static ApiNode node;

  @BeforeAll
  static void start() {
    node = ApiNode.start(dir.resolve("data"), null, TestNode.fast());
    node.awaitEveryChatListed();
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> node.get("/status").body().path("contacts").path("total_contacts").asInt()
            == node.world().contactCount());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static void assertJsonError(ApiNode.Answer answer, int status, String text) {
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/json");
    assertThat(answer.body().path("error").asText()).contains(text);
  }

  private static long chatOfPriority(String priority) {
    JsonNode chats = node.get("/chats?priority=" + priority).body();
    assertThat(chats).isNotEmpty();
    return chats.get(0).path("progress").path("chat_id").asLong();
  }

  @Test
  void healthSaysOk() {
    ApiNode.Answer answer = node.get("/health");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().path("status").asText()).isEqualTo("ok");
  }

  @Test
  void statusHasTheDesignFields() {
    JsonNode status = node.get("/status").body();
    assertThat(status.path("daemon_running").asBoolean()).isTrue();
    assertThat(status.path("daemon_uptime_seconds").isNumber()).isTrue();
    assertThat(status.path("contacts").path("total_contacts").asInt()).isEqualTo(node.world().contactCount());
    assertThat(status.path("contacts").path("last_full_sync").isTextual()).isTrue();
    JsonNode chats = status.path("chats");
    assertThat(chats.path("total_chats").asInt())
        .isEqualTo(SimulatedTdlib.chatsTheNodeSees(node.world()).size());
    assertThat(chats.path("sync_enabled").asInt() + chats.path("not_synced").asInt()
        + chats.path("inaccessible").asInt()).isEqualTo(chats.path("total_chats").asInt());
    assertThat(chats.path("by_priority").fieldNames()).toIterable().contains("P1", "P2", "P3", "P4");
    for (String field : List.of("total", "complete", "in_progress", "total_messages", "synced_messages")) {
      assertThat(chats.path("by_priority").path("P1").has(field)).as(field).isTrue();
    }
    assertThat(status.path("synced_messages").isNumber()).isTrue();
    assertThat(status.path("active_jobs").isArray()).isTrue();
    assertThat(status.has("cluster_members")).as("a single node is no cluster member").isFalse();
    assertThat(status.path("accounts").get(0).has("runner")).as("nor runs an account for one").isFalse();
    // the scheduler publishes its rates once a second
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        node.get("/status").body().path("rate_limit_status").path("configured_limit").asDouble() == 500.0);
    JsonNode rates = node.get("/status").body().path("rate_limit_status");
    assertThat(rates.path("limit").asDouble()).isPositive();
    assertThat(rates.has("requests_per_second")).isTrue();
    assertThat(rates.has("flood_wait")).isTrue();
    assertThat(status.path("accounts").get(0).path("name").asText()).isEqualTo("demo");
  }

  @Test
  void statusOfAnUnknownAccountIsNotFound() {
    assertJsonError(node.get("/status?account=nobody"), 404, "unknown account nobody");
  }

  @Test
  void contactsListTheArchivedContacts() {
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> node.get("/contacts").body().size() == node.world().contactCount());
    JsonNode contact = node.get("/contacts").body().get(0);
    assertThat(contact.has("user_id")).isTrue();
    assertThat(contact.path("account").asText()).isEqualTo("demo");
  }

  @Test
  void chatsListEveryChatWithCoverageEtaAndQueue() {
    JsonNode chats = node.get("/chats").body();
    assertThat(chats).hasSize(SimulatedTdlib.chatsTheNodeSees(node.world()).size());
    JsonNode view = chats.get(0);
    for (String field : List.of("account", "progress", "state", "covered_from", "covered_to", "messages_per_second",
        "eta_seconds", "queue_position")) {
      assertThat(view.has(field)).as(field).isTrue();
    }
  }

  @Test
  void chatsFilterByPriorityAndState() {
    JsonNode p3 = node.get("/chats?priority=p3").body();
    assertThat(p3).isNotEmpty();
    assertThat(p3).allSatisfy(view -> assertThat(view.path("progress").path("priority").asText()).isEqualTo("P3"));
    JsonNode notSynced = node.get("/chats?state=not_synced").body();
    assertThat(notSynced).allSatisfy(view -> assertThat(view.path("state").asText()).isEqualTo("not_synced"));
  }

  @Test
  void badFiltersAreBadRequests() {
    assertJsonError(node.get("/chats?priority=P9"), 400, "unknown priority P9");
    assertJsonError(node.get("/chats?state=sleeping"), 400, "unknown state sleeping");
  }

  @Test
  void oneChatById() {
    long chatId = chatOfPriority("P1");
    ApiNode.Answer answer = node.get("/chats/" + chatId);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().path("progress").path("chat_id").asLong()).isEqualTo(chatId);
  }

  @Test
  void anUnknownChatIsNotFound() {
    assertJsonError(node.get("/chats/123456"), 404, "unknown chat 123456");
    assertJsonError(node.post("/chats/123456/sync"), 404, "unknown chat 123456");
    assertJsonError(node.post("/chats/123456/media"), 404, "unknown chat 123456");
  }

  @Test
  void aMalformedChatIdIsABadRequest() {
    assertJsonError(node.get("/chats/abc"), 400, "malformed chat id: abc");
    assertJsonError(node.get("/chats/99999999999999999999"), 400, "malformed chat id");
    assertJsonError(node.post("/chats/1.5/sync"), 400, "malformed chat id");
  }

  @Test
  void syncOfALargeChatIsAcceptedAtExplicitPriority() {
    long chatId = chatOfPriority("P3");
    ApiNode.Answer answer = node.post("/chats/" + chatId + "/sync");
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
    assertThat(answer.body().path("chat_id").asLong()).isEqualTo(chatId);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
        node.get("/chats/" + chatId).body().path("progress").path("history_complete").asBoolean());
    assertThat(node.get("/chats/" + chatId).body().path("state").asText()).isEqualTo("complete");
  }

  @Test
  void aChatsMessagesComeInPagesOldestFirst() {
    long chatId = chatOfPriority("P1");
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> node.get("/chats/" + chatId + "/messages").body().path("page").path("messages").size() > 2);
    JsonNode newest = node.get("/chats/" + chatId + "/messages?limit=2").body();
    assertThat(newest.path("account").asText()).isEqualTo("demo");
    JsonNode messages = newest.path("page").path("messages");
    assertThat(messages).hasSize(2);
    long older = messages.get(0).path("message").path("message_id").asLong();
    assertThat(older).isLessThan(messages.get(1).path("message").path("message_id").asLong());
    assertThat(newest.path("page").path("has_older").asBoolean()).isTrue();
    JsonNode before = node.get("/chats/" + chatId + "/messages?limit=1&before=" + older).body().path("page");
    assertThat(before.path("messages").get(0).path("message").path("message_id").asLong()).isLessThan(older);
    assertThat(before.path("has_newer").asBoolean()).isTrue();
  }

  @Test
  void badMessageQueriesAreClearErrors() {
    long chatId = chatOfPriority("P1");
    assertJsonError(node.get("/chats/424242/messages"), 404, "unknown chat 424242");
    assertJsonError(node.get("/chats/" + chatId + "/messages?before=1&after=2"), 400, "at most one of");
    assertJsonError(node.get("/chats/" + chatId + "/messages?before=x"), 400, "malformed message id: x");
    assertJsonError(node.get("/chats/" + chatId + "/messages?limit=0"), 400, "limit must be 1..500");
    assertJsonError(node.get("/chats/" + chatId + "/messages?limit=lots"), 400, "malformed limit: lots");
    assertJsonError(node.get("/messages/" + chatId + "/1/versions"), 404, "unknown message 1");
    assertJsonError(node.get("/messages/" + chatId + "/x/versions"), 400, "malformed message id: x");
    assertJsonError(node.get("/search"), 400, "?q=");
    assertJsonError(node.get("/search?q=%20"), 400, "?q=");
    assertJsonError(node.get("/search?q=a&limit=501"), 400, "limit must be 1..500");
  }

  @Test
  void searchFindsWhatTheArchiveHoldsNewestFirst() {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> node.get("/search?q=%E4%BC%9A%E8%AE%AE").body()
        .size() > 1);
    JsonNode hits = node.get("/search?q=%E4%BC%9A%E8%AE%AE&limit=5").body();
    assertThat(hits.size()).isBetween(2, 5);
    for (JsonNode hit : hits) {
      assertThat(hit.path("text").asText()).contains("会议");
      assertThat(hit.path("account").asText()).isEqualTo("demo");
    }
    assertThat(hits.get(0).path("date").asText()).isGreaterThanOrEqualTo(hits.get(1).path("date").asText());
  }

  @Test
  void thePageIsServedWithAPolicyThatLoadsNothingFromElsewhere() throws Exception {
    HttpResponse<String> index = raw("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(index.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'self'").doesNotContain("unsafe");
    assertThat(index.body()).contains("/web/app.js").doesNotContain("http://").doesNotContain("https://");
    HttpResponse<String> script = raw("/web/app.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type").orElse("")).startsWith("application/javascript");
    assertJsonError(node.get("/web/nothing.js"), 404, "could not be found");
  }

  @Test
  void metricsAreInPrometheusTextFormat() throws Exception {
    HttpResponse<String> metrics = raw("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
    assertThat(metrics.body()).contains("# TYPE tg_messages_archived_total counter");
  }

  private static HttpResponse<String> raw(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.uri(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void unknownPathsAndMethodsAnswerJson() {
    assertJsonError(node.get("/nope"), 404, "could not be found");
    ApiNode.Answer wrongMethod = node.send(HttpRequest.newBuilder(node.uri("/status"))
        .method("DELETE", HttpRequest.BodyPublishers.noBody()), null);
    assertJsonError(wrongMethod, 405, "method");
    ApiNode.Answer postWithJunk = node.send(HttpRequest.newBuilder(node.uri("/chats/1/sync"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{not json")), null);
    assertJsonError(postWithJunk, 404, "unknown chat 1");
  }

  /** Raw bytes on a socket: whatever the node answers is JSON with 4xx/5xx, and it keeps serving. */
  @Test
  void hundredsOfMalformedRequestsLeaveTheNodeServing() throws Exception {
    List<byte[]> requests = new ArrayList<>();
    String big = "a".repeat(20_000);
    List<String> templates = List.of(
        "GARBAGE\r\n\r\n",
        "\r\n\r\n\r\n",
        "GET\r\n\r\n",
        "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        "BREW /status HTTP/1.1\r\nHost: x\r\n\r\n",
        "G E T /status HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /status HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n",
        "GET /" + big + " HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /status HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "GET /status HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "POST /chats/1/sync HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nxx\r\n0\r\n\r\n",
        "POST /chats/1/sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"a\":[1,",
        "POST /chats/x/sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n}}}}",
        "GET /chats/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /chats?priority=%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /status HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n",
        "GET /status HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u0001\u0002\r\n\r\n",
        "GET /status HTTP/1.1\r\n" + "X-A: b\r\n".repeat(200) + "\r\n");
    for (String template : templates) {
      requests.add(template.getBytes(StandardCharsets.ISO_8859_1));
    }
    Random random = new Random(4);
    for (int i = 0; i < 300 - templates.size(); i++) {
      byte[] noise = new byte[1 + random.nextInt(600)];
      random.nextBytes(noise);
      if (i % 3 == 0) {
        // valid request line, then noise as headers
        byte[] head = "GET /status HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] both = new byte[head.length + noise.length + 4];
        System.arraycopy(head, 0, both, 0, head.length);
        System.arraycopy(noise, 0, both, head.length, noise.length);
        System.arraycopy("\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, both, head.length + noise.length, 4);
        noise = both;
      }
      requests.add(noise);
    }
    int answered = 0;
    for (byte[] request : requests) {
      String response = exchange(request);
      if (response.isEmpty()) {
        continue; // the node may just close the connection
      }
      answered++;
      Matcher status = Pattern.compile("^HTTP/1\\.[01] (\\d{3})").matcher(response);
      assertThat(status.find()).as(response).isTrue();
      int code = Integer.parseInt(status.group(1));
      assertThat(code).as(response).isBetween(400, 599);
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      if (!body.isEmpty()) {
        assertThat(response).as(response).containsIgnoringCase("Content-Type: application/json");
        assertThat(HttpJson.MAPPER.readTree(body).path("error").isTextual()).as(body).isTrue();
      }
    }
    assertThat(answered).isGreaterThan(templates.size() / 2);
    assertThat(node.get("/health").status()).isEqualTo(200);
    assertThat(node.get("/status").body().path("daemon_running").asBoolean()).isTrue();
  }

  /** Sends raw bytes, half-closes, and reads what comes back until the node closes or goes quiet. */
  private static String exchange(byte[] request) throws IOException {
    URI uri = node.uri("/");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
        socket.shutdownOutput();
      } catch (IOException closedEarly) {
        // the node may refuse mid-request (e.g. oversized headers) and close
      }
      InputStream in = socket.getInputStream();
      StringBuilder response = new StringBuilder();
      byte[] buffer = new byte[8192];
      try {
        for (int read; (read = in.read(buffer)) > 0; ) {
          response.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
        }
      } catch (IOException reset) {
        // a reset after the answer is fine
      }
      return response.toString();
    }
  }
}
