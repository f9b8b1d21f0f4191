package dev.tg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.web.Browser;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;

/**
 * The web page's cost ({@code scripts/bench --only web}): the dashboard open in headless Chromium on an idle node,
 * its requests per second and the node's CPU against the same window without it; and real-time latency under a
 * full backfill with the dashboard open against the same run without it.
 */
final class WebBench {
  private final Bench bench;

  WebBench(Bench bench) {
    this.bench = bench;
  }

  Map<String, Object> run() throws Exception {
    Map<String, Object> figures = bench.header("web", "the dashboard (GET /status every 2 s) open in headless "
        + "Chromium: its requests per second and the node's CPU on an idle node, and real-time latency under a full "
        + "backfill with and without the page");
    figures.put("idle_node", idleCost(Duration.ofSeconds(bench.quick() ? 10 : 30)));
    Duration window = Duration.ofSeconds(bench.quick() ? 15 : 45);
    Instant epoch = Instant.now().minusSeconds(1);
    Map<String, Object> without = bench.injectAndMeasure(Bench.world(Bench.backfillWorld(3), epoch,
        Duration.ofMillis(100)), window, 10, true, node -> () -> { });
    Map<String, Object> with = bench.injectAndMeasure(Bench.world(Bench.backfillWorld(3), epoch,
        Duration.ofMillis(100)), window, 10, true, WebBench::dashboardOpen);
    figures.put("latency_under_load_without_page", without);
    figures.put("latency_under_load_with_page", with);
    figures.put("target", "with the page open, P0 p99 <= 25 ms under load (the latency scenario's target)");
    figures.put("met", (double) with.get("p99_ms") <= 25);
    return figures;
  }

  /** The node's CPU (this JVM: the harness is idle meanwhile) over {@code window}, without and with the page. */
  private Map<String, Object> idleCost(Duration window) throws Exception {
    SimulatedTelegram world = Bench.world(Bench.idleWorld(3), Instant.now().minusSeconds(1), Duration.ofMillis(100));
    try (BenchNode node = BenchNode.start(BenchNode.config(BenchNode.newDataDir(bench.work(), "web"), Map.of()),
        world)) {
      Bench.waitFor(Duration.ofSeconds(60), () -> {
        JsonNode status = node.status();
        return status != null && status.path("chats").path("sync_enabled").asInt() > 0
            && status.path("chats").path("fully_synced").asInt() == status.path("chats").path("sync_enabled").asInt()
            && status.path("active_jobs").isEmpty();
      });
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("window_seconds", window.toSeconds());
      double before = cpuSeconds();
      Thread.sleep(window.toMillis());
      double idle = (cpuSeconds() - before) / window.toSeconds();
      figures.put("node_cpu_without_page", Bench.round(idle));
      try (Browser browser = Browser.start()) {
        browser.driver().get("http://127.0.0.1:" + node.settings().httpPort() + "/");
        Bench.waitFor(Duration.ofSeconds(30), () -> !browser.driver()
            .findElements(By.cssSelector("[data-figure=synced_messages]")).isEmpty());
        double browserBefore = browserCpuSeconds();
        long requestsBefore = statusRequests(browser);
        before = cpuSeconds();
        Thread.sleep(window.toMillis());
        double open = (cpuSeconds() - before) / window.toSeconds();
        long requests = statusRequests(browser) - requestsBefore;
        figures.put("node_cpu_with_page", Bench.round(open));
        figures.put("node_cpu_of_the_page", Bench.round(open - idle));
        figures.put("requests_per_second", Bench.round(requests / (double) window.toSeconds()));
        figures.put("node_cpu_ms_per_request", requests == 0 ? null
            : Bench.round(1000 * (open - idle) * window.toSeconds() / requests));
        figures.put("status_response_bytes", browser.driver().executeScript("return performance"
            + ".getEntriesByType('resource').filter(e => e.name.endsWith('/status')).pop().encodedBodySize"));
        figures.put("chromium_cpu", Bench.round((browserCpuSeconds() - browserBefore) / window.toSeconds()));
      }
      figures.put("cpu_unit", "cores busy (CPU seconds per second): 1.0 is one core of " + Runtime.getRuntime()
          .availableProcessors());
      return figures;
    } finally {
      world.close();
    }
  }

  private static AutoCloseable dashboardOpen(BenchNode node) {
    Browser browser = Browser.start();
    browser.driver().get("http://127.0.0.1:" + node.settings().httpPort() + "/");
    return browser;
  }

  private static long statusRequests(Browser browser) {
    return (Long) browser.driver().executeScript("return performance.getEntriesByType('resource')"
        + ".filter(e => e.name.endsWith('/status')).length");
  }

  private static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  /** CPU of the chromedriver and Chromium processes this JVM started. */
  private static double browserCpuSeconds() {
    List<ProcessHandle> browsers = ProcessHandle.current().descendants().toList();
    return browsers.stream().mapToDouble(process -> process.info().totalCpuDuration().map(Duration::toNanos)
        .orElse(0L) / 1e9).sum();
  }
}
