package dev.tg.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.tg.cli.Cli;
import dev.tg.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** tg.storage.database, tg.storage.postgres and tg.cluster: SQLite by default, and a bad value stops the node with 2. */
class DatabaseSettingsTest {
  @TempDir
  Path dir;

  @Test
  void theDefaultIsTheSqliteJournalInTheDataDirectory() {
    DatabaseSettings database = NodeSettings.from(TgConfig.load(null)).database();
    assertThat(database.onPostgres()).isFalse();
    assertThat(database.leaseTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(database.leaseRenewInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(database.sessionSaveInterval()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void postgresTakesItsServerAndNamesTheNodeByItsHostWhenNoIdIsGiven() {
    DatabaseSettings database = DatabaseSettings.from(ConfigFactory.parseString("""
        storage.database = postgres
        storage.postgres { url = "jdbc:postgresql://db:5432/tg", user = tg, password = "s3cret-pw" }
        """).withFallback(TgConfig.load(null).getConfig("tg")));
    assertThat(database.onPostgres()).isTrue();
    assertThat(database.postgres().url()).isEqualTo("jdbc:postgresql://db:5432/tg");
    assertThat(database.postgres().password()).isEqualTo("s3cret-pw");
    assertThat(database.nodeId()).isNotBlank();
    assertThat(database.toString()).doesNotContain("s3cret-pw");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown store        | tg.storage.database = mysql                                  | tg.storage.database | must be sqlite or postgres, not mysql",
      "postgres without url | tg.storage.database = postgres                               | tg.storage.postgres.url | must be a jdbc:postgresql:// URL",
      "not a postgres url   | tg.storage.database = postgres\\ntg.storage.postgres.url = \"jdbc:sqlite:x\" | tg.storage.postgres.url | must be a jdbc:postgresql:// URL",
      "zero ttl             | tg.cluster.lease-ttl = 0s                                    | tg.cluster.lease-ttl | must be positive",
      "renewal past half    | tg.cluster.lease-renew-interval = 20s                        | tg.cluster.lease-renew-interval | at most half of tg.cluster.lease-ttl",
      "zero renewal         | tg.cluster.lease-renew-interval = 0s                         | tg.cluster.lease-renew-interval | must be positive",
      "zero session saving  | tg.cluster.session-save-interval = 0s                        | tg.cluster.session-save-interval | must be positive"})
  void aBadValueStopsTheNodeWithExitTwoNamingTheKey(String what, String text, String key, String problem)
      throws Exception {
    Path hocon = Files.writeString(dir.resolve("tg.conf"), "tg.config-dir = \"" + dir + "\"\ntg.data-dir = \""
        + dir.resolve("data") + "\"\ntg.storage.postgres.password = \"s3cret-pw\"\n" + text.replace("\\n", "\n"));
    Cli.Result result = Cli.runPlain("node", "--demo", "--config", hocon.toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
    assertThat(result.err()).as(what).contains(key).contains(problem);
    if (text.contains(key)) {
      assertThat(result.err()).as("the file that set it").contains(hocon.toString());
    }
    assertThat(result.toString()).doesNotContain("s3cret-pw");
    assertThat(Files.exists(dir.resolve("data"))).as("nothing created").isFalse();
  }

  /** Backup, restore and check know a data directory's SQLite files: on PostgreSQL they say so, and touch nothing. */
  @ParameterizedTest
  @ValueSource(strings = {"backup", "restore", "check"})
  void theDataDirectoryCommandsRefuseAJournalAndArchiveOnPostgres(String command) throws Exception {
    Path hocon = Files.writeString(dir.resolve("tg.conf"), "tg.config-dir = \"" + dir + "\"\ntg.data-dir = \""
        + dir.resolve("data") + "\"\ntg.storage.database = postgres\n"
        + "tg.storage.postgres.url = \"jdbc:postgresql://127.0.0.1:1/tg\"\n");
    List<String> args = new ArrayList<>(List.of(command, "--config", hocon.toString()));
    if (!command.equals("check")) {
      args.add(dir.resolve("backup").toString());
    }
    Cli.Result result = Cli.runPlain(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.FAILURE);
    assertThat(result.err()).contains("tg " + command, "PostgreSQL", "pg_dump");
    assertThat(Files.exists(dir.resolve("backup"))).isFalse();
  }
}
