package dev.tg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import dev.tg.archive.ArchiveLocation;
import dev.tg.archive.TestArchives;
import dev.tg.cluster.TestPostgres;
import dev.tg.config.DatabaseSettings;
import dev.tg.simulator.ChatKind;
import dev.tg.simulator.RequestRecord;
import dev.tg.simulator.SimChat;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import dev.tg.simulator.WorldSpec.HistoryLength;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The benchmarks of {@code scripts/bench}, all against the simulator, each with its baseline in the same run.
 * Figures go to {@code <out>/<scenario>.json}; {@code docs/benchmarks.md} explains them.
 *
 * <p>Usage: {@code Bench [--quick] [--only budget,adaptive,latency,ingest,ingest-postgres,restart,web,messagedb,
 * media,cluster] [--out DIR]}
 */
public final class Bench {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Map<String, Object> DEFAULTS = Map.of();
  private static final int CHANGED_WHILE_DOWN_EVERY = 10;

  private final boolean quick;
  private final Path out;
  private final Path work;

  private Bench(boolean quick, Path out) throws Exception {
    this.quick = quick;
    this.out = Files.createDirectories(out);
    this.work = Files.createTempDirectory("tg-bench-");
  }

  boolean quick() {
    return quick;
  }

  Path work() {
    return work;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    Path out = Path.of("target", "bench");
    List<String> only = List.of("budget", "adaptive", "latency", "ingest", "ingest-postgres", "restart", "web",
        "messagedb", "media", "cluster");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> out = Path.of(args[++i]);
        case "--only" -> only = Arrays.asList(args[++i].split(","));
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (use --quick, --only NAMES, --out DIR)");
      }
    }
    Bench bench = new Bench(quick, out);
    for (String scenario : only) {
      long started = System.nanoTime();
      System.out.printf("== %s%s%n", scenario, quick ? " (quick)" : "");
      Map<String, Object> figures = switch (scenario) {
        case "budget" -> bench.budget();
        case "adaptive" -> bench.adaptive();
        case "latency" -> bench.latency();
        case "ingest" -> bench.ingest(DatabaseSettings.Kind.SQLITE);
        case "ingest-postgres" -> bench.ingest(DatabaseSettings.Kind.POSTGRES);
        case "restart" -> bench.restart();
        case "web" -> new WebBench(bench).run();
        case "messagedb" -> new MessageDatabaseBench(bench).run();
        case "media" -> new MediaBench(bench).run();
        case "cluster" -> new ClusterBench(bench).run();
        default -> throw new IllegalArgumentException("unknown scenario " + scenario);
      };
      figures.put("bench_seconds", round((System.nanoTime() - started) / 1e9));
      figures.put("load_average_at_end", loadAverage());
      bench.write(scenario, figures);
    }
    System.exit(0); // simulator tickers and dispatcher threads are daemons, but Pekko's may linger
  }

  // ---- worlds ----

  /** Sixty chats a node backfills at P1, ~6,000 messages each: far more than a minute at full budget. */
  static WorldSpec backfillWorld(long seed) {
    return new WorldSpec(seed, 40, 0, 20, 0, 0, 0, false, 10,
        new HistoryLength(4000, 3.0, 12_000), new HistoryLength(50, 1.5, 100), 0, 0, 0);
  }

  /** The same sixty chats with exactly {@code perChat} messages each. */
  static WorldSpec ingestWorld(long seed, int perChat) {
    return new WorldSpec(seed, 40, 0, 20, 0, 0, 0, false, 10,
        new HistoryLength(perChat, 50, perChat), new HistoryLength(50, 1.5, 100), 0, 0, 0);
  }

  /** Fifteen chats with a handful of messages: synced in a second, then idle. */
  static WorldSpec idleWorld(long seed) {
    return new WorldSpec(seed, 10, 0, 5, 0, 0, 0, false, 5,
        new HistoryLength(5, 3.0, 20), new HistoryLength(50, 1.5, 100), 0, 0, 0);
  }

  /** {@code chats} private chats of exactly 100 messages each. */
  static WorldSpec restartWorld(long seed, int chats) {
    return new WorldSpec(seed, chats, 0, 0, 0, 0, 0, false, 0,
        new HistoryLength(100, 50, 100), new HistoryLength(50, 1.5, 100), 0, 0, 0);
  }

  static SimulatedTelegram world(WorldSpec spec, Instant epoch, Duration rtt) {
    SimulatedTelegram world = new SimulatedTelegram(spec, epoch, Clock.systemUTC());
    world.setRtt(rtt);
    return world;
  }

  // ---- budget use ----

  Map<String, Object> budget() throws Exception {
    Duration duration = Duration.ofSeconds(quick ? 20 : 60);
    Instant epoch = Instant.now().minusSeconds(1);
    double globalRps = 20;
    Map<String, Object> figures = header("budget", "a " + duration.toSeconds() + " s backfill at 100 ms RTT with "
        + "global-rps 20 (other settings default): messages/s archived against the budget global-rps x batch size");
    SimulatedTelegram world = world(backfillWorld(1), epoch, Duration.ofMillis(100));
    Map<String, Object> node = runBackfill(world, Map.of("tg.sync.rate-limits.global-rps", globalRps), duration);
    double budget = globalRps * 100;
    node.put("budget_messages_per_second", budget);
    node.put("budget_use", round((double) node.get("messages_per_second") / budget));
    node.put("steady_budget_use", round((double) node.get("steady_messages_per_second") / budget));
    @SuppressWarnings("unchecked")
    Map<String, Object> requests = (Map<String, Object>) node.get("requests");
    @SuppressWarnings("unchecked")
    Map<String, Long> byType = (Map<String, Long>) requests.get("by_type");
    // the simulated TDLib answers a chat's first call with one message and 15% of later pages short, as TDLib does
    node.put("request_budget_use", round((double) requests.get("per_second") / globalRps));
    node.put("messages_per_history_request",
        round((long) node.get("messages_archived") / (double) byType.getOrDefault("getChatHistory", 1L)));
    figures.put("node", node);
    figures.put("baseline", naive(backfillWorld(1), epoch, Duration.ofMillis(100), 0, duration, budget));
    figures.put("target", "budget use >= 0.98");
    figures.put("met", (double) node.get("budget_use") >= 0.98);
    return figures;
  }

  /**
   * Runs a node on {@code world} from its first stored batch for {@code duration}; figures over the whole window
   * and over its steady part (after the first tenth, when every chat's first page is in).
   */
  private Map<String, Object> runBackfill(SimulatedTelegram world, Map<String, Object> overrides, Duration duration)
      throws Exception {
    Path dir = BenchNode.newDataDir(work, "node");
    try (BenchNode node = BenchNode.start(BenchNode.config(dir, overrides), world)) {
      waitFor(Duration.ofSeconds(60), () -> node.archived() > 0);
      Instant from = Instant.now();
      long startCount = node.archived();
      List<Map<String, Object>> series = new ArrayList<>();
      long steadyFrom = System.nanoTime() + duration.toNanos() / 10;
      long steadyCount = -1;
      Instant steadyAt = null;
      long end = System.nanoTime() + duration.toNanos();
      long nextSample = System.nanoTime();
      while (System.nanoTime() < end) {
        if (steadyCount < 0 && System.nanoTime() >= steadyFrom) {
          steadyCount = node.archived();
          steadyAt = Instant.now();
        }
        if (System.nanoTime() >= nextSample) {
          series.add(sample(from, node.archived() - startCount));
          nextSample += Duration.ofSeconds(5).toNanos();
        }
        Thread.sleep(20);
      }
      Instant to = Instant.now();
      long archived = node.archived() - startCount;
      long steadyArchived = node.archived() - steadyCount;
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("seconds", round(Duration.between(from, to).toMillis() / 1000.0));
      figures.put("messages_archived", archived);
      figures.put("messages_per_second", round(archived / (Duration.between(from, to).toMillis() / 1000.0)));
      figures.put("steady_messages_per_second",
          round(steadyArchived / (Duration.between(steadyAt, to).toMillis() / 1000.0)));
      figures.put("requests", requestFigures(world.requestLog(), from, to));
      figures.put("series", series);
      return figures;
    }
  }

  private Map<String, Object> naive(WorldSpec spec, Instant epoch, Duration rtt, double serverLimit,
      Duration duration, double budget) throws Exception {
    SimulatedTelegram world = world(spec, epoch, rtt);
    if (serverLimit > 0) {
      world.setServerLimit(serverLimit, 0);
    }
    Instant from = Instant.now();
    NaiveLoop.Result result = NaiveLoop.run(world, BenchNode.newDataDir(work, "naive"), 3, Duration.ofMillis(500),
        duration);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("what", "the design document's loop: 3 concurrent jobs, 100 messages a batch, fixed 500 ms "
        + "between batches, straight on TdClient and ArchiveStore");
    figures.put("seconds", round(result.seconds()));
    figures.put("messages_archived", result.archived());
    figures.put("messages_per_second", round(result.messagesPerSecond()));
    if (budget > 0) {
      figures.put("budget_use", round(result.messagesPerSecond() / budget));
    }
    figures.put("requests", requestFigures(world.requestLog(), from, Instant.now()));
    world.close();
    return figures;
  }

  // ---- adaptive ----

  Map<String, Object> adaptive() throws Exception {
    Duration duration = Duration.ofSeconds(quick ? 60 : 180);
    Duration warmUp = Duration.ofSeconds(quick ? 20 : 60);
    double globalRps = 20;
    double serverLimit = globalRps / 2;
    Instant epoch = Instant.now().minusSeconds(1);
    Map<String, Object> figures = header("adaptive", "the simulator's server limit at half of global-rps ("
        + serverLimit + " requests/s over the account), 100 ms RTT, " + duration.toSeconds() + " s: requests the "
        + "server accepted per second after the first " + warmUp.toSeconds() + " s against its limit, and flood "
        + "waits per minute");
    SimulatedTelegram world = world(backfillWorld(2), epoch, Duration.ofMillis(100));
    world.setServerLimit(serverLimit, 0);
    Path dir = BenchNode.newDataDir(work, "adaptive");
    Map<String, Object> node = new LinkedHashMap<>();
    try (BenchNode running = BenchNode.start(
        BenchNode.config(dir, Map.of("tg.sync.rate-limits.global-rps", globalRps)), world)) {
      waitFor(Duration.ofSeconds(60), () -> running.archived() > 0);
      Instant from = Instant.now();
      List<Map<String, Object>> series = new ArrayList<>();
      long startCount = running.archived();
      long steadyCount = 0;
      Instant steadyAt = from.plus(warmUp);
      Instant end = from.plus(duration);
      Instant nextSample = from;
      boolean steady = false;
      while (Instant.now().isBefore(end)) {
        if (!steady && !Instant.now().isBefore(steadyAt)) {
          steady = true;
          steadyCount = running.archived();
          steadyAt = Instant.now();
        }
        if (!Instant.now().isBefore(nextSample)) {
          JsonNode status = running.status();
          Map<String, Object> point = sample(from, running.archived() - startCount);
          if (status != null) {
            point.put("rate_limit", status.path("rate_limit_status").path("limit").asDouble());
          }
          series.add(point);
          nextSample = nextSample.plusSeconds(5);
        }
        Thread.sleep(50);
      }
      Instant to = Instant.now();
      List<RequestRecord> log = world.requestLog();
      Map<String, Object> steadyRequests = requestFigures(log, steadyAt, to);
      double minutes = Duration.between(steadyAt, to).toMillis() / 60_000.0;
      double accepted = ((Number) steadyRequests.get("accepted_per_second")).doubleValue();
      node.put("server_limit_requests_per_second", serverLimit);
      node.put("steady_from_second", warmUp.toSeconds());
      node.put("steady_accepted_requests_per_second", accepted);
      node.put("steady_share_of_server_limit", round(accepted / serverLimit));
      node.put("steady_429_per_minute", round(((Number) steadyRequests.get("flood_429")).longValue() / minutes));
      node.put("steady_flood_waits_absorbed_by_tdlib_per_minute",
          round(((Number) steadyRequests.get("flood_waited")).longValue() / minutes));
      node.put("steady_messages_per_second",
          round((running.archived() - steadyCount) / (Duration.between(steadyAt, to).toMillis() / 1000.0)));
      node.put("whole_run_requests", requestFigures(log, from, to));
      node.put("floods", floodDiagnostics(log, from, to, serverLimit));
      node.put("steady_requests", steadyRequests);
      node.put("series", series);
    }
    figures.put("node", node);
    figures.put("baseline", naive(backfillWorld(2), epoch, Duration.ofMillis(100), serverLimit,
        Duration.ofSeconds(quick ? 20 : 60), 0));
    double share = (double) node.get("steady_share_of_server_limit");
    double floods = (double) node.get("steady_429_per_minute")
        + (double) node.get("steady_flood_waits_absorbed_by_tdlib_per_minute");
    figures.put("target", ">= 0.90 of the server limit with <= 1 flood wait (429) per minute at steady state");
    figures.put("met", share >= 0.9 && floods <= 1);
    return figures;
  }

  // ---- real-time latency ----

  Map<String, Object> latency() throws Exception {
    Duration duration = Duration.ofSeconds(quick ? 15 : 45);
    double perSecond = 10;
    Map<String, Object> figures = header("latency", "live messages (" + perSecond + "/s into random private "
        + "chats) injected while the node backfills at full rate (global-rps 20, 100 ms RTT): time from the "
        + "update to the row being readable in the archive");
    Instant epoch = Instant.now().minusSeconds(1);
    SimulatedTelegram loaded = world(backfillWorld(3), epoch, Duration.ofMillis(100));
    figures.put("node_under_load", injectAndMeasure(loaded, duration, perSecond, true));
    SimulatedTelegram idle = world(idleWorld(3), epoch, Duration.ofMillis(100));
    Map<String, Object> baseline = injectAndMeasure(idle, Duration.ofSeconds(quick ? 10 : 20), perSecond, false);
    baseline.put("what", "the same injection into an idle node (history done, nothing else running)");
    figures.put("baseline", baseline);
    @SuppressWarnings("unchecked")
    Map<String, Object> load = (Map<String, Object>) figures.get("node_under_load");
    figures.put("target", "P0 p99 <= 25 ms under load");
    figures.put("met", (double) load.get("p99_ms") <= 25);
    return figures;
  }

  private record Posted(long chatId, long messageId, long postedNanos, Instant postedAt) {}

  /** One live message's path: posted to the simulator, row inserted by the node, row committed and readable. */
  private record Timing(double totalMs, double toInsertMs, double insertToReadableMs) {}

  private Map<String, Object> injectAndMeasure(SimulatedTelegram world, Duration duration, double perSecond,
      boolean underLoad) throws Exception {
    return injectAndMeasure(world, duration, perSecond, underLoad, running -> () -> { });
  }

  /** {@code alongside} starts what runs beside the node during the injection (a browser on its page), closed after. */
  Map<String, Object> injectAndMeasure(SimulatedTelegram world, Duration duration, double perSecond,
      boolean underLoad, Function<BenchNode, AutoCloseable> alongside) throws Exception {
    return injectAndMeasure(world, duration, perSecond, underLoad, alongside, DEFAULTS);
  }

  /** The same, the node configured with {@code overrides} over the defaults. */
  Map<String, Object> injectAndMeasure(SimulatedTelegram world, Duration duration, double perSecond,
      boolean underLoad, Function<BenchNode, AutoCloseable> alongside, Map<String, Object> overrides)
      throws Exception {
    Path dir = BenchNode.newDataDir(work, "latency");
    List<Long> chats = world.chats().stream()
        .filter(chat -> chat.kind() == ChatKind.PRIVATE)
        .map(SimChat::id)
        .toList();
    try (BenchNode node = BenchNode.start(BenchNode.config(dir, overrides), world)) {
      if (underLoad) {
        waitFor(Duration.ofSeconds(60), () -> node.archived() > 0);
      } else {
        waitFor(Duration.ofSeconds(60), () -> {
          JsonNode status = node.status();
          return status != null && status.path("chats").path("sync_enabled").asInt() > 0
              && status.path("chats").path("fully_synced").asInt() >= status.path("chats").path("sync_enabled").asInt()
              && status.path("active_jobs").isEmpty();
        });
      }
      AutoCloseable beside = alongside.apply(node);
      ConcurrentLinkedQueue<Posted> posted = new ConcurrentLinkedQueue<>();
      List<Timing> latencies = Collections.synchronizedList(new ArrayList<>());
      long[] unstored = {0};
      Thread watcher = new Thread(() -> {
        List<Posted> pending = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
          for (Posted p; (p = posted.poll()) != null; ) {
            pending.add(p);
          }
          pending.removeIf(p -> {
            Instant inserted = node.archivedAt(p.chatId(), p.messageId());
            if (inserted != null) {
              double total = (System.nanoTime() - p.postedNanos()) / 1e6;
              double toInsert = Duration.between(p.postedAt(), inserted).toNanos() / 1e6;
              latencies.add(new Timing(total, toInsert, total - toInsert));
              return true;
            }
            return false;
          });
          LockSupport.parkNanos(200_000);
        }
        unstored[0] = pending.size();
      }, "archive-watcher");
      watcher.start();
      Random random = new Random(5);
      long period = (long) (1e9 / perSecond);
      long next = System.nanoTime();
      long end = next + duration.toNanos();
      long archivedBefore = node.archived();
      int sent = 0;
      while (next < end) {
        LockSupport.parkNanos(next - System.nanoTime());
        long chatId = chats.get(random.nextInt(chats.size()));
        long at = System.nanoTime();
        Instant atInstant = Instant.now();
        long id = world.postMessage(chatId, "live " + sent);
        posted.add(new Posted(chatId, id, at, atInstant));
        sent++;
        next += period;
      }
      long waitUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (latencies.size() < sent && System.nanoTime() < waitUntil) {
        Thread.sleep(10);
      }
      watcher.interrupt();
      watcher.join();
      beside.close();
      long archivedDuring = node.archived() - archivedBefore;
      List<Double> sorted = new ArrayList<>(latencies.stream().map(Timing::totalMs).toList());
      Collections.sort(sorted);
      List<Double> toInsert = new ArrayList<>(latencies.stream().map(Timing::toInsertMs).toList());
      Collections.sort(toInsert);
      List<Double> toReadable = new ArrayList<>(latencies.stream().map(Timing::insertToReadableMs).toList());
      Collections.sort(toReadable);
      List<Timing> slowest = new ArrayList<>(latencies);
      slowest.sort(Comparator.comparingDouble(Timing::totalMs).reversed());
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("messages_injected", sent);
      figures.put("messages_stored", sorted.size());
      figures.put("not_stored_within_5s", sent - sorted.size());
      figures.put("p50_ms", round(percentile(sorted, 0.50)));
      figures.put("p90_ms", round(percentile(sorted, 0.90)));
      figures.put("p99_ms", round(percentile(sorted, 0.99)));
      figures.put("max_ms", round(sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1)));
      // archived_at is taken in the writing transaction: before it, delivery, the chat actor and the wait for
      // the archive writer; after it, the rest of the group's writes, the commit with its fsync, and the poll
      figures.put("posted_to_inserted_ms", percentiles(toInsert));
      figures.put("inserted_to_readable_ms", percentiles(toReadable));
      figures.put("slowest_five", slowest.stream().limit(5).map(timing -> {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("total_ms", round(timing.totalMs()));
        one.put("to_insert_ms", round(timing.toInsertMs()));
        one.put("insert_to_readable_ms", round(timing.insertToReadableMs()));
        return one;
      }).toList());
      figures.put("backfill_messages_per_second_meanwhile",
          round(archivedDuring / (duration.toMillis() / 1000.0)));
      figures.put("measured_by", "a thread polling the archive (read-only connection) for each posted row every "
          + "0.2 ms; resolution well under 1 ms");
      return figures;
    } finally {
      world.close();
    }
  }

  // ---- ingest ceiling ----

  /** On SQLite (scenario ingest) or on the embedded PostgreSQL, journal and archive (scenario ingest-postgres). */
  Map<String, Object> ingest(DatabaseSettings.Kind store) throws Exception {
    int perChat = quick ? 1000 : 3000;
    boolean postgres = store == DatabaseSettings.Kind.POSTGRES;
    Map<String, Object> figures = header(postgres ? "ingest-postgres" : "ingest", "RTT 0 and no rate limits "
        + "(global-rps and per-chat-rps 100000, max-concurrent-jobs 16, history-batch-interval 0): messages/s "
        + "archived during a full backfill, against a plain JDBC batch insert of the same rows into an archive with "
        + "the same schema, on a connection set up as the node's" + (postgres ? "; journal and archive on an "
        + "embedded PostgreSQL 14 on this machine (zonky, default settings), a fresh database for each" : ""));
    SimulatedTelegram world = world(ingestWorld(4, perChat), Instant.now().minusSeconds(1), Duration.ZERO);
    long total = world.chats().stream().mapToLong(chat -> world.groundTruth(chat.id()).size()).sum();
    Path dir = BenchNode.newDataDir(work, "ingest");
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("tg.sync.rate-limits.global-rps", 100_000);
    overrides.put("tg.sync.rate-limits.per-chat-rps", 100_000);
    overrides.put("tg.sync.max-concurrent-jobs", 16);
    overrides.put("tg.sync.history-batch-interval", "0ms");
    if (postgres) {
      overrides.putAll(TestPostgres.settings(TestPostgres.freshDatabase()));
    }
    Map<String, Object> node = new LinkedHashMap<>();
    ArchiveLocation archive;
    try (BenchNode running = BenchNode.start(BenchNode.config(dir, overrides), world)) {
      archive = ArchiveLocation.of(running.settings());
      waitFor(Duration.ofSeconds(60), () -> running.archived() > 0);
      long from = System.nanoTime();
      long startCount = running.archived();
      List<Map<String, Object>> series = new ArrayList<>();
      Instant fromInstant = Instant.now();
      long nextSample = from;
      long deadline = from + Duration.ofSeconds(quick ? 120 : 300).toNanos();
      long archived = startCount;
      while (archived < total && System.nanoTime() < deadline) {
        if (System.nanoTime() >= nextSample) {
          series.add(sample(fromInstant, archived - startCount));
          nextSample += Duration.ofSeconds(2).toNanos();
        }
        Thread.sleep(20);
        archived = running.archived();
      }
      double seconds = (System.nanoTime() - from) / 1e9;
      node.put("messages_in_world", total);
      node.put("messages_archived", archived - startCount);
      node.put("seconds", round(seconds));
      node.put("messages_per_second", round((archived - startCount) / seconds));
      node.put("requests", requestFigures(world.requestLog(), fromInstant, Instant.now()));
      node.put("series", series);
    } finally {
      world.close();
    }
    Map<String, Object> plain = plainInsert(archive, TestArchives.fresh(store, BenchNode.newDataDir(work, "plain")));
    figures.put("node", node);
    figures.put("baseline", plain);
    double ratio = (double) node.get("messages_per_second") / (double) plain.get("rows_per_second");
    figures.put("node_share_of_plain_insert", round(ratio));
    figures.put("target", "node >= 0.5 of the plain insert rate");
    figures.put("met", ratio >= 0.5);
    return figures;
  }

  /** The node's rows, read back, inserted with plain JDBC: 100 rows a transaction, as the node's batches. */
  private Map<String, Object> plainInsert(ArchiveLocation source, ArchiveLocation target) throws Exception {
    List<Object[]> rows = new ArrayList<>();
    try (Connection read = source.openForReading();
        PreparedStatement select = read.prepareStatement("SELECT account, chat_id, message_id, sender_id, date, "
            + "edit_date, is_outgoing, content_type, text, reply_to_message_id, media_album_id, archived_at, raw_json "
            + "FROM messages ORDER BY chat_id, message_id DESC");
        ResultSet result = select.executeQuery()) {
      while (result.next()) {
        Object[] row = new Object[13];
        for (int i = 0; i < 13; i++) {
          row[i] = result.getObject(i + 1);
        }
        rows.add(row);
      }
    }
    double seconds;
    // the node's schema (UNIQUE key, trigram index) and connection (WAL and synchronous FULL; batched inserts)
    try (Connection write = target.openForWriting()) {
      long started = System.nanoTime();
      try (PreparedStatement insert = write.prepareStatement("INSERT INTO messages (account, chat_id, message_id, "
          + "sender_id, date, edit_date, is_outgoing, content_type, text, reply_to_message_id, media_album_id, "
          + "archived_at, raw_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
        int inBatch = 0;
        for (Object[] row : rows) {
          for (int i = 0; i < row.length; i++) {
            insert.setObject(i + 1, row[i]);
          }
          insert.addBatch();
          if (++inBatch == 100) {
            insert.executeBatch();
            write.commit();
            inBatch = 0;
          }
        }
        insert.executeBatch();
        write.commit();
      }
      seconds = (System.nanoTime() - started) / 1e9;
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("what", "plain JDBC batch insert of the same rows into a fresh archive (the same schema with its "
        + "trigram index, the node's connection settings), 100 rows a transaction, one thread, nothing else running");
    figures.put("rows", rows.size());
    figures.put("seconds", round(seconds));
    figures.put("rows_per_second", round(rows.size() / seconds));
    return figures;
  }

  // ---- restart and scale ----

  Map<String, Object> restart() throws Exception {
    int chats = quick ? 2_000 : 10_000;
    Map<String, Object> figures = header("restart", chats + " private chats with " + JournalSeeder.EVENTS_PER_CHAT
        + " events each in the journal (every chat complete), one chat in " + CHANGED_WHILE_DOWN_EVERY + " with a "
        + "new message while the node was down: restart the node, time until GET /status answers, until it lists "
        + "every chat, until every changed chat's message is archived and nothing runs or waits (RTT 0, rate limits "
        + "lifted: the node's own cost), and the heap the node holds then");
    figures.put("with_snapshots", restartOnce(chats, true));
    if (!quick) {
      figures.put("events_only", restartOnce(chats, false));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> withSnapshots = (Map<String, Object>) figures.get("with_snapshots");
    figures.put("passivation", "not implemented: every chat actor stays resident after its catch-up");
    figures.put("target", "<= 5 s to serving status; heap <= 256 MB for 10,000 chats");
    figures.put("met", (double) withSnapshots.get("seconds_to_serving_status") <= 5
        && (double) withSnapshots.get("node_heap_mb") <= 256);
    return figures;
  }

  private Map<String, Object> restartOnce(int chats, boolean snapshots) throws Exception {
    Instant epoch = Instant.now().minusSeconds(1);
    SimulatedTelegram world = world(restartWorld(6, chats), epoch, Duration.ZERO);
    Path dir = BenchNode.newDataDir(work, "restart");
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("tg.sync.rate-limits.global-rps", 100_000);
    overrides.put("tg.sync.rate-limits.per-chat-rps", 100_000);
    overrides.put("tg.sync.max-concurrent-jobs", 16);
    Config config = BenchNode.config(dir, overrides);
    long seedStarted = System.nanoTime();
    int seeded = JournalSeeder.seed(config, dir.resolve("journal.db"), world, snapshots);
    double seedSeconds = (System.nanoTime() - seedStarted) / 1e9;
    // one chat in ten got a message while the node was down: those must catch up, the others need not ask
    List<SimChat> privateChats = world.chats().stream().filter(chat -> chat.kind() == ChatKind.PRIVATE).toList();
    Set<Long> changed = new HashSet<>();
    for (int i = 0; i < privateChats.size(); i += CHANGED_WHILE_DOWN_EVERY) {
      world.postMessage(privateChats.get(i).id(), "while down " + i);
      changed.add(privateChats.get(i).id());
    }
    long heapBefore = usedHeapAfterGc();
    Map<String, Object> figures = new LinkedHashMap<>();
    long started = System.nanoTime();
    try (BenchNode node = BenchNode.start(config, world)) {
      double serving = secondsUntil(started, () -> node.status() != null);
      double listed = secondsUntil(started, () -> {
        JsonNode status = node.status();
        return status != null && status.path("chats").path("total_chats").asInt() >= seeded;
      });
      // the archive starts empty (the seeder writes only the journal), so its rows are the caught-up messages
      double caughtUp = secondsUntil(started, () -> node.queryLong("SELECT COUNT(*) FROM messages") >= changed.size());
      // re-sweeps of the chats active lately (every seeded one) come after
      double idle = secondsUntil(started, () -> {
        JsonNode status = node.status();
        return status != null && status.path("active_jobs").isEmpty()
            && status.path("rate_limit_status").path("in_flight").asInt() == 0
            && status.path("rate_limit_status").path("queued").asInt() == 0;
      });
      long heapAfter = usedHeapAfterGc();
      List<RequestRecord> histories = world.requestLog().stream()
          .filter(record -> record.type().equals("getChatHistory")).toList();
      long askedUnchanged = histories.stream().map(RequestRecord::chatId).distinct()
          .filter(chatId -> !changed.contains(chatId)).count();
      figures.put("chats", seeded);
      figures.put("events_in_journal", (long) seeded * JournalSeeder.EVENTS_PER_CHAT);
      figures.put("snapshots", snapshots);
      figures.put("chats_changed_while_down", changed.size());
      figures.put("seconds_to_seed_journal", round(seedSeconds));
      figures.put("seconds_to_serving_status", round(serving));
      figures.put("seconds_to_status_listing_every_chat", round(listed));
      figures.put("seconds_to_every_changed_chat_caught_up", round(caughtUp));
      figures.put("seconds_to_nothing_running_or_queued", round(idle));
      figures.put("heap_before_start_mb", round(heapBefore / 1e6));
      figures.put("heap_when_idle_mb", round(heapAfter / 1e6));
      figures.put("node_heap_mb", round((heapAfter - heapBefore) / 1e6));
      figures.put("history_requests_catch_ups_and_resweeps", histories.size());
      figures.put("unchanged_chats_that_asked", askedUnchanged);
      figures.put("those_at_default_global_rps_20_seconds_at_least", round(histories.size() / 20.0));
    } finally {
      world.close();
    }
    return figures;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  // ---- helpers ----

  Map<String, Object> header(String scenario, String what) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("scenario", scenario);
    figures.put("what", what);
    figures.put("quick", quick);
    figures.put("at", Instant.now().toString());
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("processors", Runtime.getRuntime().availableProcessors());
    machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() / 1_000_000);
    machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    machine.put("load_average_at_start", loadAverage());
    figures.put("machine", machine);
    return figures;
  }

  /**
   * Whether the node itself sent more than the limit within a second (the requests' send times, before the fixed
   * round trip): per flood, the requests sent in the second before it, and the tightest span of limit + 1
   * consecutive requests over the run (under 1,000 ms means the node's own spacing broke the limit).
   */
  static Map<String, Object> floodDiagnostics(List<RequestRecord> log, Instant from, Instant to, double limit) {
    List<RequestRecord> window = log.stream()
        .filter(record -> !record.sentAt().isBefore(from) && record.sentAt().isBefore(to))
        .sorted(Comparator.comparing(RequestRecord::sentAt)).toList();
    int span = (int) Math.floor(limit);
    double tightest = Double.NaN;
    for (int i = span; i < window.size(); i++) {
      double ms = Duration.between(window.get(i - span).sentAt(), window.get(i).sentAt()).toNanos() / 1e6;
      tightest = Double.isNaN(tightest) ? ms : Math.min(tightest, ms);
    }
    List<Map<String, Object>> floods = new ArrayList<>();
    for (RequestRecord record : window) {
      if (record.outcome().startsWith("error 429") || record.outcome().contains("after flood wait")) {
        Instant at = record.sentAt();
        long before = window.stream().filter(other -> other.sentAt().isAfter(at.minusSeconds(1))
            && !other.sentAt().isAfter(at)).count();
        Map<String, Object> flood = new LinkedHashMap<>();
        flood.put("second", round(Duration.between(from, at).toMillis() / 1000.0));
        flood.put("outcome", record.outcome());
        flood.put("sent_in_the_second_up_to_it", before);
        floods.add(flood);
      }
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("tightest_span_of_" + (span + 1) + "_consecutive_requests_ms", round(tightest));
    figures.put("each", floods);
    return figures;
  }

  /** The 1-minute load average: other processes on a 2-core machine move latency and ingest figures. */
  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Requests the simulated server saw in [from, to), by type and outcome. */
  static Map<String, Object> requestFigures(List<RequestRecord> log, Instant from, Instant to) {
    Map<String, Long> byType = new LinkedHashMap<>();
    long total = 0;
    long accepted = 0;
    long flood429 = 0;
    long floodWaited = 0;
    for (RequestRecord record : log) {
      if (record.sentAt().isBefore(from) || !record.sentAt().isBefore(to)) {
        continue;
      }
      total++;
      byType.merge(record.type(), 1L, Long::sum);
      if (record.outcome().startsWith("ok")) {
        accepted++;
      }
      if (record.outcome().startsWith("error 429")) {
        flood429++;
      }
      if (record.outcome().contains("after flood wait")) {
        floodWaited++;
      }
    }
    double seconds = Duration.between(from, to).toMillis() / 1000.0;
    // spacing of consecutive requests at the server: at global-rps 20 every gap is 50 ms when the budget is used
    List<Instant> sent = log.stream().map(RequestRecord::sentAt)
        .filter(at -> !at.isBefore(from) && at.isBefore(to)).sorted().toList();
    List<Double> gaps = new ArrayList<>();
    for (int i = 1; i < sent.size(); i++) {
      gaps.add(Duration.between(sent.get(i - 1), sent.get(i)).toNanos() / 1e6);
    }
    Collections.sort(gaps);
    Map<String, Object> gapFigures = new LinkedHashMap<>();
    gapFigures.put("p10", round(percentile(gaps, 0.10)));
    gapFigures.put("p50", round(percentile(gaps, 0.50)));
    gapFigures.put("p90", round(percentile(gaps, 0.90)));
    gapFigures.put("p99", round(percentile(gaps, 0.99)));
    gapFigures.put("max", round(gaps.isEmpty() ? Double.NaN : gaps.get(gaps.size() - 1)));
    gapFigures.put("sum_over_60_ms", round(gaps.stream().filter(gap -> gap > 60).mapToDouble(gap -> gap).sum()));
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("total", total);
    figures.put("per_second", round(total / seconds));
    figures.put("accepted_per_second", round(accepted / seconds));
    figures.put("flood_429", flood429);
    figures.put("flood_waited", floodWaited);
    figures.put("by_type", byType);
    figures.put("gap_ms", gapFigures);
    return figures;
  }

  private static Map<String, Object> sample(Instant from, long archived) {
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("second", round(Duration.between(from, Instant.now()).toMillis() / 1000.0));
    point.put("archived", archived);
    return point;
  }

  static void waitFor(Duration limit, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not reached within " + limit);
      }
      Thread.sleep(20);
    }
  }

  private static double secondsUntil(long started, BooleanSupplier condition) throws InterruptedException {
    waitFor(Duration.ofMinutes(15), condition);
    return (System.nanoTime() - started) / 1e9;
  }

  private static Map<String, Object> percentiles(List<Double> sorted) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("p50", round(percentile(sorted, 0.50)));
    figures.put("p90", round(percentile(sorted, 0.90)));
    figures.put("p99", round(percentile(sorted, 0.99)));
    return figures;
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private void write(String scenario, Map<String, Object> figures) throws Exception {
    Path file = out.resolve(scenario + ".json");
    JSON.writeValue(file.toFile(), figures);
    Map<String, Object> summary = new LinkedHashMap<>(figures);
    summary.keySet().removeAll(List.of("machine", "what", "at"));
    String printed = JSON.writeValueAsString(summary).replaceAll("(?s)\"series\" : \\[.*?\\]", "\"series\" : [...]");
    System.out.println(printed);
    System.out.println("-> " + file);
  }
}
