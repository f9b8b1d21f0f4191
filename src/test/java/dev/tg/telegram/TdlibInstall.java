package dev.tg.telegram;

import java.nio.file.Path;

/** TDLib as the build installed it for the tests (scripts/install-tdlib into the build directory). */
public final class TdlibInstall {
  private TdlibInstall() {}

  /** The install directory; surefire sets {@code tg.test.tdlib-dir}, a run from the IDE falls back to target/. */
  public static Path dir() {
    String configured = System.getProperty("tg.test.tdlib-dir");
    return configured != null ? Path.of(configured) : Path.of("target", "tdlib");
  }

  /** TDLib's schema with its documentation, generated from td_api.tl of the library's commit. */
  public static Path schema() {
    return dir().resolve("node_modules/@prebuilt-tdlib/types/tdlib-types.d.ts");
  }
}
