package dev.tg.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through its ChromeDriver by Selenium (never Selenium Manager: nothing is
 * downloaded), with the flags a closed network needs and a fresh profile. {@code scripts/install-test-packages}
 * installs both; without them this fails saying so.
 */
public final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Dimension DESKTOP = new Dimension(1280, 900);
  public static final Dimension PHONE = new Dimension(390, 844);

  private final Path profile;
  private final ChromeDriver driver;

  private Browser(Path profile, ChromeDriver driver) {
    this.profile = profile;
    this.driver = driver;
  }

  public static Browser start() {
    for (Path needed : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(needed)) {
        throw new IllegalStateException(needed + " is missing: the browser tests need Debian's chromium and "
            + "chromium-driver; scripts/install-test-packages installs them (as root), or: apt-get install chromium "
            + "chromium-driver");
      }
    }
    try {
      Path profile = Files.createTempDirectory("tg-chromium-");
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
      ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
          "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--user-data-dir=" + profile);
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().window().setSize(DESKTOP);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
      return new Browser(profile, driver);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** A screenshot of what the page shows now, as {@code <tg.test.screenshot-dir>/<name>.png}. */
  public Path screenshot(String name) {
    Path dir = Path.of(System.getProperty("tg.test.screenshot-dir", "target/web-screenshots"));
    try {
      Path file = Files.createDirectories(dir).resolve(name + ".png");
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a profile left in the temporary directory harms nothing
    }
  }
}
