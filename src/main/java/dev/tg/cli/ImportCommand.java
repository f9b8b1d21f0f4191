package dev.tg.cli;

import dev.tg.archive.ArchiveLocation;
import dev.tg.archive.ArchiveReader;
import dev.tg.archive.ArchiveStore;
import dev.tg.config.NodeSettings;
import dev.tg.config.OwnerOnlyFiles;
import dev.tg.interop.TdesktopImport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Brings a Telegram Desktop JSON export (a chat or the whole account) into the archive.",
        "Messages the archive has already are left as they are; an error imports nothing. Stop the node first."})
final class ImportCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Parameters(index = "0", paramLabel = "PATH", description = "result.json, or the export's folder.")
  Path path;

  @Option(names = "--account", paramLabel = "NAME",
      description = "The account to import into (default: the archive's only account).")
  String account;

  @Override
  public Integer call() {
    NodeSettings settings = options.settings();
    if (nodeRunning(settings)) {
      throw CommandFailed.failure("the node is running: stop it before an import (one writer at a time), then "
          + "start it again; it goes on from where it was");
    }
    OwnerOnlyFiles.createDirectories(settings.dataDir());
    TdesktopImport.Imported imported;
    try (ArchiveStore store = ArchiveStore.open(ArchiveLocation.of(settings));
        ArchiveReader reader = ArchiveReader.open(ArchiveLocation.of(settings))) {
      imported = TdesktopImport.run(store, reader, accountFor(reader), path, ZoneId.systemDefault());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("imported %s: %d chats, %d messages, %d new, %d already archived, %d left out%n", path,
        imported.chats(), imported.messages(), imported.added(),
        imported.messages() - imported.added() - imported.skipped(), imported.skipped());
    imported.notes().forEach(note -> out.println("note: " + note));
    out.flush();
    return Main.OK;
  }

  private String accountFor(ArchiveReader reader) {
    if (account != null) {
      return account;
    }
    List<String> candidates = reader.chats(null).stream().map(ArchiveReader.ChatRow::account).distinct().toList();
    if (candidates.size() != 1) {
      throw CommandFailed.usage("name the account to import into with --account"
          + (candidates.isEmpty() ? "" : " (one of " + candidates + ")"));
    }
    return candidates.get(0);
  }

  private static boolean nodeRunning(NodeSettings settings) {
    try {
      new NodeClient(settings).get("/health");
      return true;
    } catch (NodeClient.NodeNotRunning e) {
      return false;
    }
  }
}
