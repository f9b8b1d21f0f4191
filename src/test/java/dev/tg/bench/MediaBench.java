package dev.tg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import dev.tg.simulator.WorldSpec.HistoryLength;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Media downloads ({@code scripts/bench --only media}): the throughput of a P1 world's photos and voice notes against
 * the simulator's bandwidth limit, with the node's own byte budget out of the way, at the default concurrency and
 * against sequential downloads (one at a time) in the same run; and real-time latency while downloads run.
 */
final class MediaBench {
  private static final long BANDWIDTH = 4_000_000;
  private static final Duration RTT = Duration.ofMillis(50);

  private record Sample(double seconds, long doneBytes) {}

  private final Bench bench;

  MediaBench(Bench bench) {
    this.bench = bench;
  }

  Map<String, Object> run() throws Exception {
    Map<String, Object> figures = bench.header("media", "the photos and voice notes of " + chats() + " private "
        + "chats downloaded through a simulated bandwidth of " + BANDWIDTH / 1_000_000 + " MB/s at " + RTT.toMillis()
        + " ms RTT, the node's byte budget above it: download throughput at 8 downloads at once (the default) and 4, "
        + "against one at a time; and P0 latency of live messages while the node backfills and downloads");
    figures.put("bandwidth_bytes_per_second", BANDWIDTH);
    Map<String, Object> concurrent = throughput(8);
    figures.put("concurrent", concurrent);
    figures.put("concurrent_4", throughput(4));
    Map<String, Object> sequential = throughput(1);
    sequential.put("what", "the baseline: the same world, one download at a time");
    figures.put("sequential", sequential);
    Duration window = Duration.ofSeconds(bench.quick() ? 15 : 30);
    Map<String, Object> latency = bench.injectAndMeasure(world(), window, 10, true, MediaBench::downloadsDuring,
        Map.of());
    latency.put("what", "live messages (10/s) while the same world backfills and downloads, media at its "
        + "defaults (8 at once, 2 MB/s budget)");
    figures.put("latency_while_downloading", latency);
    Map<String, Object> withoutMedia = bench.injectAndMeasure(world(), window, 10, true, node -> () -> { },
        Map.of("tg.media.enabled", false));
    withoutMedia.put("what", "the baseline: the same injection and backfill, media downloads off");
    figures.put("latency_without_media", withoutMedia);
    figures.put("target", "concurrent throughput >= 0.9 of the bandwidth; P0 p99 <= 25 ms while downloading");
    figures.put("met", (double) concurrent.get("share_of_bandwidth") >= 0.9 && (double) latency.get("p99_ms") <= 25);
    return figures;
  }

  private int chats() {
    return bench.quick() ? 8 : 16;
  }

  /** Private chats of 300 messages each: about 25 photos and 5 voice notes a chat. */
  private SimulatedTelegram world() {
    WorldSpec spec = new WorldSpec(8, chats(), 0, 0, 0, 0, 0, false, 5, new HistoryLength(300, 50, 300),
        new HistoryLength(50, 1.5, 100), 0, 0, 0);
    SimulatedTelegram world = Bench.world(spec, Instant.now().minusSeconds(1), RTT);
    world.limitDownloads(BANDWIDTH);
    return world;
  }

  private Map<String, Object> throughput(int concurrency) throws Exception {
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("tg.media.max-concurrent-downloads", concurrency);
    overrides.put("tg.media.max-bytes-per-second", "1GB");
    overrides.put("tg.media.scan-interval", "200ms");
    List<Sample> samples = new ArrayList<>();
    try (BenchNode node = BenchNode.start(BenchNode.config(BenchNode.newDataDir(bench.work(), "media"), overrides),
        world())) {
      long started = System.nanoTime();
      Bench.waitFor(Duration.ofSeconds(bench.quick() ? 120 : 240), () -> {
        JsonNode status = node.status();
        if (status == null) {
          return false;
        }
        JsonNode media = status.path("media");
        samples.add(new Sample((System.nanoTime() - started) / 1e9, media.path("done_bytes").asLong()));
        return status.path("chats").path("fully_synced").asInt() >= status.path("chats").path("sync_enabled").asInt()
            && status.path("chats").path("sync_enabled").asInt() > 0 && media.path("done_files").asLong() > 0
            && media.path("pending_files").asLong() == 0;
      });
      JsonNode media = node.status().path("media");
      long total = media.path("done_bytes").asLong();
      // the middle of the run: neither the first files, which wait for history, nor the last few, one at a time
      Sample from = first(samples, total / 10);
      Sample to = first(samples, total * 9 / 10);
      double rate = (to.doneBytes() - from.doneBytes()) / Math.max(0.001, to.seconds() - from.seconds());
      Sample end = first(samples, total);
      Sample begin = first(samples, 1);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("max_concurrent_downloads", concurrency);
      figures.put("files", media.path("done_files").asLong());
      figures.put("bytes", total);
      figures.put("failed_files", media.path("failed_files").asLong());
      figures.put("bytes_per_second_10_to_90_percent", Math.round(rate));
      figures.put("share_of_bandwidth", Bench.round(rate / BANDWIDTH));
      figures.put("seconds_first_to_last_file", Bench.round(end.seconds() - begin.seconds()));
      figures.put("share_of_bandwidth_whole_run",
          Bench.round(total / Math.max(0.001, end.seconds() - begin.seconds()) / BANDWIDTH));
      return figures;
    }
  }

  private static Sample first(List<Sample> samples, long atLeast) {
    return samples.stream().filter(sample -> sample.doneBytes() >= atLeast).findFirst()
        .orElse(samples.get(samples.size() - 1));
  }

  /** Beside the injection: the bytes downloaded meanwhile, printed when it ends. */
  private static AutoCloseable downloadsDuring(BenchNode node) {
    long before = node.status().path("media").path("done_bytes").asLong();
    long started = System.nanoTime();
    return () -> {
      long bytes = node.status().path("media").path("done_bytes").asLong() - before;
      System.out.printf("media: %d bytes downloaded during the injection, %.0f bytes/s%n", bytes,
          bytes / ((System.nanoTime() - started) / 1e9));
    };
  }

}
