package dev.tg.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.http.ApiNode;
import dev.tg.metrics.PrometheusScrape.Family;
import dev.tg.metrics.PrometheusScrape.Sample;
import dev.tg.node.TestNode;
import dev.tg.simulator.ChatKind;
import dev.tg.simulator.SimChat;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} after a demo run (the tiny world synced, live messages, then a flood wait), parsed by
 * Prometheus' own parser: every metric docs/http-api.md lists is there, and its values agree with the archive, the
 * simulator's request log and the status.
 */
class MetricsTest {
  private static final Set<String> LABELS = Set.of("account", "tier", "method", "outcome", "state", "le");

  @TempDir
  static Path dir;

  static ApiNode node;

  @BeforeAll
  static void start() {
    node = ApiNode.start(dir.resolve("data"), null, TestNode.fast());
    await().until(() -> {
      JsonNode chats = node.get("/status").body().path("chats");
      return chats.path("fully_synced").asInt() > 0
          && chats.path("fully_synced").asInt() == chats.path("sync_enabled").asInt();
    });
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static ConditionFactory await() {
    return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200));
  }

  static PrometheusScrape scrape() {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(node.uri("/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return PrometheusScrape.parse(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The metric names in docs/http-api.md's table of metrics. */
  static List<String> documented() throws IOException {
    String doc = Files.readString(Path.of("docs/http-api.md"));
    String table = doc.substring(doc.indexOf("## `GET /metrics`"));
    Matcher names = Pattern.compile("(?m)^\\| `((?:tg|jvm|process)_[a-z_]+)`").matcher(table);
    List<String> found = names.results().map(match -> match.group(1)).toList();
    assertThat(found).as("metrics documented in docs/http-api.md").hasSizeGreaterThan(15);
    return found;
  }

  private static long liveChat() {
    return node.world().chats().stream().filter(chat -> chat.kind() == ChatKind.PRIVATE).findFirst()
        .orElseThrow().id();
  }

  @Test
  void everyDocumentedMetricIsThereWithSaneValues() throws IOException {
    long chat = liveChat();
    for (int i = 0; i < 3; i++) {
      node.world().postMessage(chat, "measured " + i);
    }
    await().until(() -> scrape().sum("tg_live_write_latency_seconds_count") >= 3);
    PrometheusScrape scrape = scrape();
    for (String name : documented()) {
      assertThat(scrape.samples().stream().map(Sample::name))
          .as(name).anyMatch(sample -> sample.equals(name) || sample.equals(name + "_count"));
    }
    // counted where it happens, they agree with what others saw
    await().until(() -> scrape().sum("tg_messages_archived_total") == archived());
    await().until(() -> scrape().sum("tg_tdlib_requests_total",
        labels -> labels.get("method").equals("getChatHistory") && labels.get("outcome").equals("ok"))
        == node.world().requestLog().stream().filter(request -> request.type().equals("getChatHistory")
            && request.outcome().startsWith("ok")).count());
    await().until(() -> {
      JsonNode chats = node.get("/status").body().path("chats");
      PrometheusScrape now = scrape();
      return now.sum("tg_chats") == chats.path("total_chats").asDouble()
          && now.value("tg_chats", Map.of("account", "demo", "state", "complete"))
              == chats.path("fully_synced").asDouble()
          && now.value("tg_chats", Map.of("account", "demo", "state", "not_synced"))
              == chats.path("not_synced").asDouble();
    });

    double latencies = scrape.sum("tg_live_write_latency_seconds_count");
    assertThat(scrape.sum("tg_live_write_latency_seconds_sum") / latencies).isBetween(0.0, 5.0).isPositive();
    buckets(scrape, "tg_live_write_latency_seconds_bucket", latencies);
    double batches = scrape.sum("tg_archive_write_batch_seconds_count");
    assertThat(batches).isPositive();
    buckets(scrape, "tg_archive_write_batch_seconds_bucket", batches);
    assertThat(scrape.sum("tg_archive_writes_total")).isGreaterThanOrEqualTo(batches);

    Map<String, String> demo = Map.of("account", "demo");
    assertThat(scrape.value("tg_scheduler_configured_requests_per_second", demo)).isEqualTo(500.0);
    assertThat(scrape.value("tg_scheduler_rate_requests_per_second", demo)).isBetween(0.5, 500.0);
    assertThat(scrape.value("tg_scheduler_ceiling_requests_per_second", demo))
        .isGreaterThanOrEqualTo(scrape.value("tg_scheduler_rate_requests_per_second", demo));
    assertThat(scrape.samples("tg_scheduler_queued_requests")).extracting(sample -> sample.labels().get("tier"))
        .containsExactlyInAnyOrder("P0", "P1", "P2", "P3", "P4");
    assertThat(scrape.value("tg_journal_failures_total", demo)).isZero();
    assertThat(scrape.value("jvm_memory_used_bytes", Map.of("area", "heap"))).isPositive();
  }

  /** Cumulative buckets: never fewer below a higher bound, and +Inf holds them all. */
  private static void buckets(PrometheusScrape scrape, String name, double count) {
    List<Double> cumulative = scrape.samples(name).stream().map(Sample::value).toList();
    assertThat(cumulative).isSorted();
    assertThat(scrape.samples(name).stream().filter(sample -> sample.labels().get("le").equals("+Inf"))
        .mapToDouble(Sample::value).sum()).isEqualTo(count);
  }

  private static long archived() {
    return ((Number) TestNode.query(node.settings().archiveFile(),
        "SELECT COALESCE(SUM(archived), 0) AS n FROM chat_message_counts").get(0).get("n")).longValue();
  }

  @Test
  void namesAndLabelsFollowPrometheusConventionsAndNameNoChatNorPhone() {
    PrometheusScrape scrape = scrape();
    List<String> titles = node.world().chats().stream().map(SimChat::title).toList();
    for (Family family : scrape.families()) {
      if (!family.name().startsWith("tg_")) {
        continue;
      }
      assertThat(family.name()).matches("tg_[a-z][a-z0-9_]*");
      assertThat(family.help()).as(family.name()).isNotBlank();
      for (Sample sample : family.samples()) {
        if (family.type().equals("counter")) {
          assertThat(sample.name()).as("a counter's samples").endsWith("_total");
        }
        assertThat(LABELS).as(sample.name()).containsAll(sample.labels().keySet());
        for (String value : sample.labels().values()) {
          assertThat(titles).as("label values are no chat titles").doesNotContain(value);
          assertThat(value).as("label values are no phone numbers").doesNotMatch("\\+?[0-9]{7,}");
        }
      }
    }
    // durations in seconds, the base unit: histograms of them, or counters of seconds
    assertThat(scrape.families()).filteredOn(family -> family.name().matches("tg_.*_seconds"))
        .extracting(Family::type).containsOnly("histogram", "counter");
  }

  @Test
  void floodWaitsAreCountedWithTheSecondsTelegramAskedFor() {
    node.world().setTdlibTotalWaitLimit(Duration.ZERO);
    node.world().setServerLimit(1, 0);
    try {
      long chat = node.get("/chats?priority=P3&state=not_synced").body().get(0).path("progress").path("chat_id")
          .asLong();
      assertThat(node.post("/chats/" + chat + "/sync").status()).isEqualTo(202);
      await().until(() -> scrape().sum("tg_flood_waits_total") >= 1);
      // each flood wait is a request's outcome, and Telegram asks for a second at least
      await().until(() -> {
        PrometheusScrape scrape = scrape();
        double floods = scrape.sum("tg_flood_waits_total");
        return scrape.sum("tg_tdlib_requests_total", labels -> labels.get("outcome").equals("flood_wait")) == floods
            && scrape.sum("tg_flood_wait_seconds_total") >= floods;
      });
    } finally {
      node.world().setServerLimit(0, 0);
      node.world().setTdlibTotalWaitLimit(Duration.ofSeconds(3));
    }
  }
}
