package dev.tg.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The node's Prometheus metrics (docs/http-api.md lists them), one registry per actor system: the actors that know
 * a figure record it here as it changes, and {@code GET /metrics} writes the registry in the text format. Labels
 * carry account names, tiers, methods and states, never a chat title or a phone number.
 */
public final class NodeMetrics implements Extension {
  private static final ExtensionId<NodeMetrics> ID = new ExtensionId<>() {
    @Override
    public NodeMetrics createExtension(ActorSystem<?> system) {
      NodeMetrics metrics = new NodeMetrics();
      JvmMetrics.builder().register(metrics.registry);
      return metrics;
    }
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter messagesArchived = Counter.builder().name("tg_messages_archived_total")
      .help("Messages newly stored in the archive, by account and the chat's tier")
      .labelNames("account", "tier").register(registry);
  private final Counter requests = Counter.builder().name("tg_tdlib_requests_total")
      .help("Requests to TDLib that took a rate-limit token, by method and outcome")
      .labelNames("account", "method", "outcome").register(registry);
  private final Counter floodWaits = Counter.builder().name("tg_flood_waits_total")
      .help("Flood waits (429) Telegram answered").labelNames("account").register(registry);
  private final Counter floodWaitSeconds = Counter.builder().name("tg_flood_wait_seconds_total")
      .help("Seconds of flood wait Telegram asked for").labelNames("account").register(registry);
  private final Gauge rate = Gauge.builder().name("tg_scheduler_rate_requests_per_second")
      .help("The scheduler's current request rate (lowered after flood waits)").labelNames("account")
      .register(registry);
  private final Gauge ceiling = Gauge.builder().name("tg_scheduler_ceiling_requests_per_second")
      .help("The lowest rate that flooded, which the scheduler stays under (the configured rate until a flood)")
      .labelNames("account").register(registry);
  private final Gauge configured = Gauge.builder().name("tg_scheduler_configured_requests_per_second")
      .help("The configured global rate (tg.sync.rate-limits.global-rps)").labelNames("account").register(registry);
  private final Gauge inFlight = Gauge.builder().name("tg_scheduler_in_flight_requests")
      .help("Requests sent to TDLib and not answered yet").labelNames("account").register(registry);
  private final Gauge queued = Gauge.builder().name("tg_scheduler_queued_requests")
      .help("Requests waiting for a rate-limit token, by tier").labelNames("account", "tier").register(registry);
  private final Histogram liveLatency = Histogram.builder().name("tg_live_write_latency_seconds")
      .help("From a real-time update reaching the account to its archive write being durable")
      .classicOnly().classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
      .labelNames("account").register(registry);
  private final Histogram batches = Histogram.builder().name("tg_archive_write_batch_seconds")
      .help("Archive write batches (one transaction, one sync to disk each) and how long each took")
      .classicOnly().classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
      .register(registry);
  private final Counter batchWrites = Counter.builder().name("tg_archive_writes_total")
      .help("Writes the archive's batches carried (pages, live changes, read models)").register(registry);
  private final Counter journalFailures = Counter.builder().name("tg_journal_failures_total")
      .help("Chat actors restarted after a journal or archive write failed").labelNames("account").register(registry);
  private final Gauge chats = Gauge.builder().name("tg_chats")
      .help("Chats by state").labelNames("account", "state").register(registry);

  /** A registry of its own, without the JVM's metrics: for an archive or a test outside a node. */
  public NodeMetrics() {}

  public static NodeMetrics get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /**
   * An account's status starts (again, after a restart of the account): every series of the account at zero
   * until something happens, so that a scrape always has them all; its chats are counted anew.
   */
  public void accountStarted(String account, List<String> tiers, List<String> chatStates) {
    floodWaits.labelValues(account).inc(0);
    floodWaitSeconds.labelValues(account).inc(0);
    journalFailures.labelValues(account).inc(0);
    liveLatency.labelValues(account);
    tiers.forEach(tier -> {
      messagesArchived.labelValues(account, tier).inc(0);
      queued.labelValues(account, tier).set(0);
    });
    chatStates.forEach(state -> chats.labelValues(account, state).set(0));
  }

  public void messagesArchived(String account, String tier, long count) {
    messagesArchived.labelValues(account, tier).inc(count);
  }

  /** A request is answered or failed; {@code floodWait} is zero unless Telegram asked for one. */
  public void requestDone(String account, String method, String outcome, Duration floodWait) {
    requests.labelValues(account, method, outcome).inc();
    if (!floodWait.isZero()) {
      floodWaits.labelValues(account).inc();
      floodWaitSeconds.labelValues(account).inc(floodWait.toMillis() / 1000.0);
    }
  }

  /** What the scheduler publishes every second; {@code queuedByTier} by tier name. */
  public void scheduler(String account, double current, double lowestFlooded, double configuredRate, int inFlightNow,
      Map<String, Integer> queuedByTier) {
    rate.labelValues(account).set(current);
    ceiling.labelValues(account).set(lowestFlooded);
    configured.labelValues(account).set(configuredRate);
    inFlight.labelValues(account).set(inFlightNow);
    queuedByTier.forEach((tier, depth) -> queued.labelValues(account, tier).set(depth));
  }

  /** Live changes heard at these {@link System#nanoTime()}s are durably written now. */
  public void liveWritten(String account, long[] heardNanos) {
    long now = System.nanoTime();
    for (long heard : heardNanos) {
      liveLatency.labelValues(account).observe((now - heard) / 1e9);
    }
  }

  public void archiveBatch(int writes, long nanos) {
    batches.observe(nanos / 1e9);
    batchWrites.inc(writes);
  }

  public void journalFailure(String account) {
    journalFailures.labelValues(account).inc();
  }

  /** A chat moved from one state to another ({@code from} null: a chat seen for the first time). */
  public void chatMoved(String account, String from, String to) {
    if (from != null) {
      chats.labelValues(account, from).dec();
    }
    chats.labelValues(account, to).inc();
  }

  /** The registry in Prometheus' text format (version 0.0.4). */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
