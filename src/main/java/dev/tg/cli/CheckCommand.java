package dev.tg.cli;

import dev.tg.config.NodeSettings;
import dev.tg.datadir.DataDirCheck;
import dev.tg.datadir.DataDirLock;
import dev.tg.http.HttpJson;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Checks the archive and the journal (SQLite's quick_check), as the node does before it starts.",
        "Exit code 1 when a file is damaged; --repair rebuilds what can be rebuilt without losing anything."})
final class CheckCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Option(names = "--repair",
      description = "Rebuild the damaged files that can be rebuilt (the node must be stopped); keeps the damaged ones.")
  boolean repair;

  @Option(names = "--json", description = "Print the findings as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    NodeSettings settings = options.settings();
    CommandFailed.requireSqlite(settings, "check");
    List<String> repaired = List.of();
    if (repair && !DataDirCheck.damaged(settings).isEmpty()) {
      try (DataDirLock lock = DataDirLock.acquire(settings.dataDir(), "repair")) {
        repaired = DataDirCheck.repair(settings);
      } catch (DataDirLock.Held held) {
        throw CommandFailed.failure("a repair needs the node stopped: " + held.getMessage());
      }
    }
    List<DataDirCheck.FileCheck> files = DataDirCheck.check(settings);
    boolean ok = files.stream().allMatch(DataDirCheck.FileCheck::ok);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("ok", ok);
      report.put("files", files.stream().map(CheckCommand::json).toList());
      report.put("repaired", repaired);
      out.println(HttpJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    } else {
      repaired.forEach(line -> out.println("repaired " + line));
      files.forEach(file -> print(out, file));
    }
    out.flush();
    return ok ? Main.OK : Main.FAILURE;
  }

  private static Map<String, Object> json(DataDirCheck.FileCheck file) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("file", file.name());
    json.put("path", file.path().toString());
    json.put("present", file.present());
    json.put("ok", file.ok());
    json.put("problems", file.problems());
    json.put("damaged", file.damaged());
    json.put("repair", file.repair());
    json.put("advice", file.advice());
    return json;
  }

  private static void print(PrintWriter out, DataDirCheck.FileCheck file) {
    if (!file.present()) {
      out.printf("%-11s not there yet (%s)%n", file.name(), file.path());
      return;
    }
    if (file.ok()) {
      out.printf("%-11s ok (%s)%n", file.name(), file.path());
      return;
    }
    out.printf("%-11s DAMAGED (%s)%n", file.name(), file.path());
    if (!file.damaged().isEmpty()) {
      out.println("            in: " + String.join(", ", file.damaged()));
    }
    file.problems().stream().limit(5).forEach(problem -> out.println("            " + problem));
    if (file.problems().size() > 5) {
      out.println("            ... and " + (file.problems().size() - 5) + " more (--json lists them)");
    }
    out.println("            " + file.advice());
  }
}
