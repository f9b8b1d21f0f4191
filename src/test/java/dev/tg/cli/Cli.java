package dev.tg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code tg} in-process through picocli, with captured output and a config file of its own. */
public final class Cli {
  private final Path configFile;

  /** What a run printed and returned. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  private Cli(Path configFile) {
    this.configFile = configFile;
  }

  /** A CLI reading {@code dataDir}, talking to a node on {@code port}, with {@code configDir} for sync.toml. */
  public static Cli of(Path dir, Path dataDir, int port, Path configDir, String... extraHocon) {
    try {
      Path file = dir.resolve("tg-" + port + ".conf");
      List<String> lines = new ArrayList<>(List.of(
          "tg.data-dir = \"" + dataDir + "\"",
          "tg.http.port = " + port,
          "tg.config-dir = \"" + configDir + "\""));
      lines.addAll(List.of(extraHocon));
      Files.write(file, lines);
      return new Cli(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path configFile() {
    return configFile;
  }

  /** {@code tg <args> --config FILE}: the subcommand first, so its --config applies. */
  public Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--config");
    all.add(configFile.toString());
    return runPlain(all.toArray(String[]::new));
  }

  /** {@code tg <args>} exactly as given. */
  public static Result runPlain(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

}
