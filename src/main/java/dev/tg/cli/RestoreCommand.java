package dev.tg.cli;

import dev.tg.config.NodeSettings;
import dev.tg.datadir.DataDirLock;
import dev.tg.datadir.Manifest;
import dev.tg.datadir.Restore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Puts a backup of `tg backup` into the data directory, which must be new or empty.",
        "The backup is checked first (manifest, checksums, both databases, counts); nothing is copied if it fails."})
final class RestoreCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Parameters(index = "0", paramLabel = "SRC", description = "A directory written by tg backup.")
  Path source;

  @Override
  public Integer call() {
    NodeSettings settings = options.settings();
    CommandFailed.requireSqlite(settings, "restore");
    Manifest manifest;
    try {
      manifest = Restore.restore(source, settings);
    } catch (IllegalArgumentException | DataDirLock.Held e) {
      throw CommandFailed.failure(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("restored the backup of %s (%s, tg %s) into %s: %,d messages, %,d journal events%n",
        manifest.source(), manifest.createdAt(), manifest.tgVersion(), settings.dataDir(),
        manifest.counts().get("messages"), manifest.counts().get("journal_events"));
    out.println("start the node with: tg node");
    out.flush();
    return Main.OK;
  }
}
