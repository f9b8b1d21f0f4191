package dev.tg.cli;

import dev.tg.archive.Storage;
import dev.tg.datadir.Backup;
import dev.tg.datadir.Manifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Writes a consistent copy of the archive, the journal and the sessions into DEST, with a manifest.",
        "The node may run meanwhile. DEST must be new or empty; everything in it is readable by you only."})
final class BackupCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Parameters(index = "0", paramLabel = "DEST", description = "A new or empty directory.")
  Path dest;

  @Override
  public Integer call() {
    Manifest manifest;
    try {
      CommandFailed.requireSqlite(options.settings(), "backup");
      manifest = Backup.write(options.settings(), dest);
    } catch (IllegalArgumentException e) {
      throw CommandFailed.failure(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    long bytes = manifest.files().stream().mapToLong(Manifest.Entry::size).sum();
    out.printf("backup in %s: %d files, %s; %,d messages, %,d journal events%n", dest, manifest.files().size(),
        Storage.bytes(bytes), manifest.counts().get("messages"), manifest.counts().get("journal_events"));
    out.println("restore it with: tg restore " + dest + " (into an empty data directory)");
    out.flush();
    return Main.OK;
  }
}
