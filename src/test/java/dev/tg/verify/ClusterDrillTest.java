package dev.tg.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The short version of scripts/cluster-test: three nodes, three tiny accounts, one node killed during backfill. */
class ClusterDrillTest {
  @TempDir
  Path dir;

  @Test
  void aNodeKilledDuringBackfillLeavesEveryArchiveWholeAndNoChatWithTwoRunners() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ClusterDrill drill = new ClusterDrill(new PrintStream(printed, true, StandardCharsets.UTF_8));
    drill.nodes = 3;
    drill.accounts = 3;
    drill.kills = 1;
    drill.liveRate = 0.5;
    drill.workDir = dir;
    drill.timeoutSeconds = 180;
    ClusterDrill.Result result = drill.run();
    String report = printed.toString(StandardCharsets.UTF_8);
    assertThat(result.passed()).as(report).isTrue();
    assertThat(result.twoRunners()).as(report).isEmpty();
    assertThat(result.archiveFailures()).as(report).isZero();
    assertThat(result.darkTimes()).as("each account of the killed node came back: " + report).isNotEmpty();
    assertThat(report).contains("next message stored", "cluster-test PASSED");
  }
}
