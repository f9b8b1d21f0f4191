package dev.tg.metrics;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A scrape of {@code /metrics} as Prometheus reads it: parsed by the Prometheus Python client's own text parser
 * (Debian's python3-prometheus-client, which scripts/install-test-packages installs), not by a parser of ours.
 */
record PrometheusScrape(List<Family> families) {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  record Sample(String name, Map<String, String> labels, double value) {}

  record Family(String name, String type, String help, List<Sample> samples) {}

  static PrometheusScrape parse(String text) {
    if (!Files.isExecutable(PYTHON)) {
      throw new IllegalStateException(PYTHON + " is missing: the metrics test parses with Debian's "
          + "python3-prometheus-client; scripts/install-test-packages installs it (as root)");
    }
    try {
      Path script = Path.of(PrometheusScrape.class.getResource("/metrics/parse_metrics.py").toURI());
      Process python = new ProcessBuilder(PYTHON.toString(), script.toString()).start();
      try (var in = python.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = python.getInputStream().readAllBytes();
      String err = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (python.waitFor() != 0) {
        throw new IllegalStateException(err.contains("No module named 'prometheus_client'")
            ? "the Prometheus Python client is missing: scripts/install-test-packages installs Debian's "
                + "python3-prometheus-client (as root)"
            : "Prometheus' parser refused the scrape: " + err);
      }
      List<Family> families = new ArrayList<>();
      for (JsonNode family : JSON.readTree(out)) {
        List<Sample> samples = new ArrayList<>();
        for (JsonNode sample : family.path("samples")) {
          samples.add(new Sample(sample.path("name").asText(),
              JSON.convertValue(sample.path("labels"), JSON.getTypeFactory()
                  .constructMapType(Map.class, String.class, String.class)),
              sample.path("value").asDouble()));
        }
        families.add(new Family(family.path("name").asText(), family.path("type").asText(),
            family.path("help").asText(), samples));
      }
      return new PrometheusScrape(families);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  List<Sample> samples() {
    return families.stream().flatMap(family -> family.samples().stream()).toList();
  }

  List<Sample> samples(String name) {
    return samples().stream().filter(sample -> sample.name().equals(name)).toList();
  }

  /** The sum of the samples named {@code name} whose labels pass {@code labels}. */
  double sum(String name, Predicate<Map<String, String>> labels) {
    return samples(name).stream().filter(sample -> labels.test(sample.labels())).mapToDouble(Sample::value).sum();
  }

  double sum(String name) {
    return sum(name, labels -> true);
  }

  double value(String name, Map<String, String> labels) {
    return samples(name).stream().filter(sample -> sample.labels().equals(labels)).mapToDouble(Sample::value)
        .findFirst().orElseThrow(() -> new AssertionError("no sample " + name + labels));
  }
}
