package dev.tg.archive;

import dev.tg.cluster.TestPostgres;
import dev.tg.config.DatabaseSettings;
import java.nio.file.Path;

/** An empty archive on either store, for the suites that must pass on both. */
public final class TestArchives {
  private TestArchives() {}

  /** {@code dir}/archive.db on SQLite; a fresh database on the tests' embedded PostgreSQL. */
  public static ArchiveLocation fresh(DatabaseSettings.Kind store, Path dir) {
    return switch (store) {
      case SQLITE -> new ArchiveLocation.SqliteFile(dir.resolve("archive.db"));
      case POSTGRES -> new ArchiveLocation.PostgresServer(TestPostgres.freshDatabase());
    };
  }
}
