package dev.tg.telegram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds TDLib's JSON library ({@code libtdjson}) as installed by {@code scripts/install-tdlib}.
 *
 * <p>Order: an explicit path (argument, then system property {@value #PATH_PROPERTY}, then environment
 * variable {@value #PATH_ENV}), then the default install directory
 * ({@code ${XDG_DATA_HOME:-$HOME/.local/share}/tg/tdlib}), then {@code target/tdlib} under the working
 * directory. An explicit path may name the library file itself or an install directory. An explicit path
 * that holds no library is an error: it never falls back to the others.
 */
public final class TdlibLibrary {

  /** The TDLib version the project is built and tested against. */
  public static final String TDLIB_VERSION = "1.8.65";

  public static final String PATH_PROPERTY = "tg.tdlib.path";
  public static final String PATH_ENV = "TG_TDLIB_PATH";

  private static final String INSTALL_COMMAND = "scripts/install-tdlib";

  private TdlibLibrary() {}

  /** Locates the library from the system property, the environment, or the default places. */
  public static Path locate() {
    return locate(null);
  }

  /**
   * Locates the library; {@code explicitPath} (a file or an install directory) wins when not null.
   *
   * @throws TdlibMissingException naming the command that installs it
   */
  public static Path locate(Path explicitPath) {
    return locate(
        explicitPath,
        System.getProperty(PATH_PROPERTY),
        System.getenv(PATH_ENV),
        defaultInstallDir(),
        Path.of(System.getProperty("user.dir")).resolve("target").resolve("tdlib"));
  }

  static Path locate(Path explicitPath, String property, String env, Path defaultDir, Path buildDir) {
    Path explicit = explicitPath != null ? explicitPath : firstPath(property, env);
    if (explicit != null) {
      return findIn(explicit)
          .orElseThrow(() -> new TdlibMissingException(List.of(explicit), installDirFor(explicit)));
    }
    List<Path> searched = new ArrayList<>();
    for (Path dir : List.of(defaultDir, buildDir)) {
      searched.add(dir);
      var found = findIn(dir);
      if (found.isPresent()) {
        return found.get();
      }
    }
    throw new TdlibMissingException(searched, defaultDir);
  }

  /** {@code ${XDG_DATA_HOME:-$HOME/.local/share}/tg/tdlib}, the install script's default. */
  public static Path defaultInstallDir() {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path dataHome =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "share");
    return dataHome.resolve("tg").resolve("tdlib");
  }

  /** Where {@code scripts/install-tdlib DIR} puts the library for this platform. */
  public static Path libraryInInstallDir(Path installDir) {
    return installDir
        .resolve("node_modules")
        .resolve("@prebuilt-tdlib")
        .resolve(platformPackage())
        .resolve(libraryFileName());
  }

  /** The npm package of prebuilt-tdlib for this machine, such as {@code linux-x64-glibc}. */
  static String platformPackage() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x64";
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      return "darwin-" + cpu;
    }
    if (os.startsWith("windows")) {
      return "win32-x64";
    }
    return "linux-" + cpu + "-" + (isMusl() ? "musl" : "glibc");
  }

  private static boolean isMusl() {
    try (var libs = Files.list(Path.of("/lib"))) {
      return libs.anyMatch(p -> p.getFileName().toString().startsWith("ld-musl-"));
    } catch (Exception e) {
      return false;
    }
  }

  private static String libraryFileName() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      return "libtdjson.dylib";
    }
    if (os.startsWith("windows")) {
      return "tdjson.dll";
    }
    return "libtdjson.so";
  }

  private static Path firstPath(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank()) {
        return Path.of(candidate.trim());
      }
    }
    return null;
  }

  private static Optional<Path> findIn(Path path) {
    if (Files.isRegularFile(path)) {
      return Optional.of(path.toAbsolutePath());
    }
    if (Files.isDirectory(path)) {
      for (Path candidate : List.of(libraryInInstallDir(path), path.resolve(libraryFileName()))) {
        if (Files.isRegularFile(candidate)) {
          return Optional.of(candidate.toAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }

  // a missing library file is installed into the default place; any other path is taken as the dir
  private static Path installDirFor(Path explicit) {
    String name = explicit.getFileName() == null ? "" : explicit.getFileName().toString();
    return name.startsWith("libtdjson") || name.equals("tdjson.dll") ? defaultInstallDir() : explicit;
  }

  /** libtdjson is not where it was looked for; the message says what to run. */
  public static final class TdlibMissingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path installDir;

    TdlibMissingException(List<Path> searched, Path installDir) {
      super(
          "TDLib "
              + TDLIB_VERSION
              + " (libtdjson) not found in "
              + searched.stream().map(p -> p.toAbsolutePath().toString()).toList()
              + ". Install it with: "
              + installCommand(installDir)
              + " (or set "
              + PATH_ENV
              + " / -D"
              + PATH_PROPERTY
              + " to the library)");
      this.installDir = installDir;
    }

    /** The directory the install command installs into. */
    public Path installDir() {
      return installDir;
    }

    /** The shell command that installs the library where it will be found. */
    public String installCommand() {
      return installCommand(installDir);
    }

    private static String installCommand(Path dir) {
      String path = dir.toAbsolutePath().toString();
      return INSTALL_COMMAND + " " + (path.matches("[A-Za-z0-9_./@+-]+") ? path : "'" + path + "'");
    }
  }
}
