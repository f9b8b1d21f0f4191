package dev.tg.datadir;

import dev.tg.archive.ArchiveDerived;
import dev.tg.archive.Integrity;
import dev.tg.config.NodeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks of a data directory's databases, the archive and the journal ({@code PRAGMA quick_check}), each with
 * what a repair can mend without losing anything, or else what to do. The node runs them before it starts and
 * {@code tg check} on demand; {@link #repair} rebuilds what is safe to rebuild.
 */
public final class DataDirCheck {
  private static final String RESTORE = "restore a backup: stop the node, move the data directory away and run "
      + "`tg restore DIR` (docs/keeping-an-archive-safe.md)";

  /**
   * One file's finding: {@code problems} in SQLite's words (empty: sound), the tables and indexes they are in,
   * {@code repair} what {@code tg check --repair} would do (null when nothing is safe), {@code advice} what to do.
   */
  public record FileCheck(String name, Path path, boolean present, List<String> problems, List<String> damaged,
      String repair, String advice) {
    public boolean ok() {
      return problems.isEmpty();
    }

    /** Why the node will not run on this file, and what to do. */
    public String refusal() {
      return name + " (" + path + ") is damaged: " + problems.get(0)
          + (damaged.isEmpty() ? "" : " (in " + String.join(", ", damaged) + ")") + ". " + advice;
    }
  }

  /** The node does not start on a damaged database; the message says which, what is wrong and what to do. */
  public static final class Damaged extends RuntimeException {
    public Damaged(List<FileCheck> files) {
      super(String.join("\n", files.stream().map(FileCheck::refusal).toList()));
    }
  }

  private DataDirCheck() {}

  /** Both databases; a file that does not exist yet is sound (the node creates it). */
  public static List<FileCheck> check(NodeSettings settings) {
    return List.of(check("archive.db", settings.archiveFile(), ArchiveDerived.TABLES.keySet()),
        check("journal.db", settings.journalFile(), Set.of()));
  }

  /** The files that are damaged, for a node that must not start on them. */
  public static List<FileCheck> damaged(NodeSettings settings) {
    return check(settings).stream().filter(file -> !file.ok()).toList();
  }

  private static FileCheck check(String name, Path path, Set<String> rebuildable) {
    if (!Files.exists(path)) {
      return new FileCheck(name, path, false, List.of(), List.of(), null, null);
    }
    Integrity.Report report = Integrity.check(path);
    if (report.intact()) {
      return new FileCheck(name, path, true, List.of(), List.of(), null, null);
    }
    List<String> damaged = new ArrayList<>(report.damagedTables());
    report.damagedIndexes().forEach(index -> damaged.add("index " + index));
    Set<String> precious = new HashSet<>(report.damagedTables());
    precious.removeAll(rebuildable);
    if (report.unplaced() || !precious.isEmpty()) {
      String lost = precious.isEmpty() ? "the damage is outside any table SQLite can name"
          : String.join(", ", precious) + " cannot be rebuilt from anything else";
      return new FileCheck(name, path, true, report.problems(), damaged, null,
          "No repair is safe (" + lost + "): " + RESTORE + ".");
    }
    Set<String> steps = new LinkedHashSet<>();
    report.damagedTables().forEach(table -> steps.add(ArchiveDerived.TABLES.get(table)));
    steps.add(report.damagedIndexes().isEmpty() ? "copies every table into a new file"
        : "rebuilds the damaged indexes from their tables");
    String repair = String.join(", ", steps);
    return new FileCheck(name, path, true, report.problems(), damaged, repair,
        "`tg check --repair` mends it (with the node stopped): it " + repair + "; the damaged file is kept beside "
            + "the new one.");
  }

  /**
   * Rebuilds every damaged file that a repair can mend, the caller holding the data directory's lock; answers
   * what was done, one line per file. A file with no safe repair is left as it is.
   */
  public static List<String> repair(NodeSettings settings) {
    List<String> done = new ArrayList<>();
    for (FileCheck file : check(settings)) {
      if (file.ok() || file.repair() == null) {
        continue;
      }
      Rebuild.Rebuilt rebuilt;
      if (file.path().equals(settings.archiveFile())) {
        Set<String> leftOut = new HashSet<>(ArchiveDerived.FROM_MESSAGES);
        file.damaged().stream().filter(ArchiveDerived.TABLES::containsKey).forEach(leftOut::add);
        rebuilt = Rebuild.rebuild(file.path(), leftOut, ArchiveDerived::rebuildFromMessages);
      } else {
        rebuilt = Rebuild.rebuild(file.path(), Set.of(), connection -> { });
      }
      done.add(file.name() + ": " + file.repair() + " (the damaged file is now " + rebuilt.damagedCopy() + ")");
    }
    return done;
  }
}
