package dev.tg.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tg.node.TestNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/tg.service and scripts/install-service: the unit as systemd reads it, its install for a user, and the
 * node's exit status on the SIGTERM with which systemd stops it (here beside {@link DemoNodeProcess}, which runs a
 * node as a user does).
 */
class ServiceTest {
  private static final Path UNIT = Path.of("scripts/tg.service");

  @TempDir
  Path dir;

  private record Run(int exitCode, String output) {}

  private Run run(Map<String, String> environment, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), output);
  }

  private Map<String, String> home() throws IOException {
    Path runtime = Files.createDirectories(dir.resolve("run"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    return Map.of("HOME", dir.resolve("home").toString(), "XDG_CONFIG_HOME", "",
        "XDG_RUNTIME_DIR", runtime.toString());
  }

  private Run install(String... options) throws Exception {
    Path jar = Files.writeString(dir.resolve("tg.jar"), "not really a jar");
    List<String> command = new ArrayList<>(List.of("bash", "scripts/install-service", "--jar",
        jar.toString()));
    command.addAll(Arrays.asList(options));
    return run(home(), command.toArray(String[]::new));
  }

  /** A key's values in the unit ({@code SuccessExitStatus=143}: [143]). */
  private static List<String> values(String key) throws IOException {
    Matcher lines = Pattern.compile("(?m)^" + key + "=(.*)$").matcher(Files.readString(UNIT));
    return lines.results().flatMap(line -> Arrays.stream(line.group(1).trim().split("\\s+"))).toList();
  }

  @Test
  void theUnitStatesItsRulesAndPassesSystemdAnalyzeVerifyWhereSystemdIsInstalled() throws Exception {
    assertThat(values("ExecStart")).containsSubsequence("java", "-jar", "%h/.local/lib/tg/tg.jar", "node");
    assertThat(values("Restart")).containsExactly("on-failure");
    assertThat(values("SuccessExitStatus")).contains("143");
    assertThat(values("RestartPreventExitStatus")).containsExactly("2");
    assertThat(values("UMask")).containsExactly("0077");
    assertThat(values("WantedBy")).containsExactly("default.target");
    boolean systemd = run(Map.of(), "sh", "-c", "command -v systemd-analyze").exitCode() == 0;
    if (systemd) {
      assertThat(install("--no-start").exitCode()).isZero();
      Path installed = dir.resolve("home/.config/systemd/user/tg.service");
      Run verify = run(home(), "systemd-analyze", "--user", "verify", installed.toString());
      assertThat(verify.exitCode()).as(verify.output()).isZero();
      assertThat(verify.output()).as("systemd-analyze's warnings").isBlank();
    }
  }

  @Test
  void installServicePutsTheJarAndTheUnitInTheUsersDirectories() throws Exception {
    Run installed = install("--no-start");
    assertThat(installed.exitCode()).as(installed.output()).isZero();
    assertThat(installed.output()).contains("systemctl --user daemon-reload && systemctl --user enable --now tg");
    Path jar = dir.resolve("home/.local/lib/tg/tg.jar");
    assertThat(jar).hasContent("not really a jar");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(jar))).isEqualTo("rw-------");
    assertThat(dir.resolve("home/.config/systemd/user/tg.service")).hasSameTextualContentAs(UNIT);

    Run missing = run(home(), "bash", "scripts/install-service", "--jar", dir.resolve("nothing.jar").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.output()).contains("nothing.jar is missing; build it with: mvn -B -ntp package -DskipTests");
    Run wrong = run(home(), "bash", "scripts/install-service", "--bogus");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.output()).contains("unknown option --bogus");
  }

  @Test
  void aCleanSigtermEndsTheNodeWithAStatusTheUnitCountsAsSuccess() throws Exception {
    int port = TestNode.freePort();
    Path config = Files.writeString(dir.resolve("node.conf"), "tg.data-dir = \"" + dir.resolve("data")
        + "\"\ntg.config-dir = \"" + dir.resolve("config") + "\"\ntg.http.port = " + port
        + "\ntg.demo.world = tiny\n");
    DemoNodeProcess node = DemoNodeProcess.start(config, port, dir.resolve("node.log"));
    try {
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> node.status() != null
          && node.status().path("synced_messages").asLong() > 0);
      int exit = node.stop(Duration.ofSeconds(30));
      Set<Integer> success = new HashSet<>(List.of(0));
      values("SuccessExitStatus").forEach(status -> success.add(Integer.valueOf(status)));
      assertThat(success).as("exit status %d: %s", exit, Files.readString(dir.resolve("node.log"))).contains(exit);
    } finally {
      node.destroy();
    }
  }
}
