package dev.tg.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code scripts/crash-test --cycles 4} as a user would, on the classes under test (the jar comes later). */
class CrashSafetyTest {

  @TempDir
  Path workDir;

  @Test
  void fourKillsLoseNothingDuplicateNothingLeaveJournalAndArchiveInStepAndKeepEveryEditAndDeletion()
      throws Exception {
    Path output = workDir.resolve("crash-test.out");
    ProcessBuilder script = new ProcessBuilder("bash", "scripts/crash-test", "--cycles", "4", "--seed", "11",
        "--work-dir", workDir.resolve("run").toString(), "--timeout", "60")
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    script.environment().put("TG_CLASSPATH", System.getProperty("java.class.path"));
    Process process = script.start();
    boolean ended = process.waitFor(200, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    String printed = read(output);
    System.out.print(printed); // the counts belong in the build log
    assertThat(ended).as("crash-test ended in time; it printed:%n%s", printed).isTrue();
    assertThat(process.exitValue()).as("exit code; it printed:%n%s", printed).isZero();
    assertThat(printed)
        .contains("missing: 0", "duplicated: 0", "cursor violations: 0", "journal/archive disagreements: 0",
            "not recorded inside the re-sweep window: 0", "content the world never had: 0",
            "media done with bytes unlike the world's: 0", "media never finished: 0", "crash-test PASSED")
        .containsPattern("changes while the node ran: \\d+, not recorded: 0")
        .contains("SIGKILL during backfill", "SIGKILL right after a restart", "SIGKILL during live traffic",
            "SIGKILL during media downloads");
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}
