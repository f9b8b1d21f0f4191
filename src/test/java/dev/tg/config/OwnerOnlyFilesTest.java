package dev.tg.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFilesTest {
  @TempDir
  Path dir;

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void everyDirectoryCreatedOnTheWayIsOwnerOnly() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path file = OwnerOnlyFiles.createFile(dir.resolve("accounts/demo/tdlib/session"));
    assertThat(mode(dir.resolve("accounts"))).isEqualTo("rwx------");
    assertThat(mode(dir.resolve("accounts/demo"))).isEqualTo("rwx------");
    assertThat(mode(dir.resolve("accounts/demo/tdlib"))).isEqualTo("rwx------");
    assertThat(mode(file)).isEqualTo("rw-------");
    // a parent that existed before keeps its mode
    assertThat(mode(dir)).isEqualTo("rwxr-xr-x");
  }
}
