package dev.tg.verify;

import dev.tg.config.TgConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crash-check}: checks a stopped demo node's archive against the simulated world's ground truth and its journal
 * (see {@link ArchiveCheck}). Exit code 0 when every count is 0, 1 otherwise.
 */
@Command(name = "crash-check", hidden = true, mixinStandardHelpOptions = true,
    description = "Checks a stopped demo node's archive against the simulated world and the journal.")
public final class CrashCheckCommand implements Callable<Integer> {
  /** Where crash-test keeps the node's runs, beside the configuration it wrote. */
  static final String RUNS_FILE = "node-runs.txt";

  @Option(names = "--config", paramLabel = "FILE", required = true,
      description = "The configuration the demo node ran with (data dir, seed, world).")
  Path config;

  @Option(names = "--at", paramLabel = "INSTANT",
      description = "When the node stopped (ISO-8601); the world is taken as of then (default: now).")
  Instant at;

  @Option(names = "--runs", paramLabel = "FILE",
      description = "When the node ran (crash-test writes it; default: " + RUNS_FILE + " beside the configuration, "
          + "if there is one). Without it every edit and deletion counts as made while the node was down.")
  Path runs;

  public static void main(String[] args) {
    LoggerFactory.getILoggerFactory(); // initialised before Pekko logs, so nothing is replayed with a warning
    System.exit(new CommandLine(new CrashCheckCommand()).execute(args));
  }

  @Override
  public Integer call() {
    Path runsFile = runs != null ? runs : config.toAbsolutePath().resolveSibling(RUNS_FILE);
    NodeRuns nodeRuns = runs != null || Files.exists(runsFile) ? NodeRuns.read(runsFile) : NodeRuns.UNKNOWN;
    ArchiveCheck.Report report =
        ArchiveCheck.check(TgConfig.load(config), at == null ? Instant.now() : at, nodeRuns);
    report.print(System.out);
    return report.failures() == 0 ? 0 : 1;
  }
}
