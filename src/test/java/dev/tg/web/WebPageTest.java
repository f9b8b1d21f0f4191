package dev.tg.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.http.ApiNode;
import dev.tg.node.SimulatedTdlib;
import dev.tg.node.TestNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web page in a real browser (headless Chromium) against a real node on the tiny simulated world, which keeps
 * sending live messages: the dashboard, the chats table and its "sync now", search and the chat view, a flood
 * wait's banner, an unknown chat. The screenshots in docs/web/ come from these runs.
 */
class WebPageTest {
  @TempDir
  static Path dir;

  static ApiNode node;
  static Browser browser;
  static ChromeDriver page;

  @BeforeAll
  static void start() {
    Map<String, Object> settings = new HashMap<>(TestNode.fast());
    // the simulator asks for 1 s: paused ten times as long, the banner stays for several polls of the page
    settings.put("tg.sync.rate-limits.flood-wait-multiplier", 10);
    node = ApiNode.start(dir.resolve("data"), null, settings);
    node.awaitEveryChatListed();
    await().until(() -> node.get("/status").body().path("chats").path("fully_synced").asInt() > 0);
    browser = Browser.start();
    page = browser.driver();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    node.close();
  }

  static ConditionFactory await() {
    return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions();
  }

  private static void open(String hash) {
    page.get(node.uri("/" + hash).toString());
  }

  private static String text(String css) {
    return page.findElement(By.cssSelector(css)).getText();
  }

  private static long figure(String name) {
    return Long.parseLong(text("[data-figure='" + name + "']").replaceAll("[^0-9]", ""));
  }

  private static List<Map<String, Object>> archive(String sql, Object... values) {
    return TestNode.query(node.settings().archiveFile(), sql, values);
  }

  /** The complete private chat with the most messages (more than a page): the account sees its new messages. */
  private static long privateChat() {
    JsonNode largest = null;
    for (JsonNode view : node.get("/chats?priority=P1&state=complete").body()) {
      JsonNode progress = view.path("progress");
      if (progress.path("chat_type").asText().equals("private") && (largest == null
          || progress.path("archived_messages").asLong() > largest.path("archived_messages").asLong())) {
        largest = progress;
      }
    }
    assertThat(largest).as("a complete private chat").isNotNull();
    assertThat(largest.path("archived_messages").asLong()).as("messages of the largest private chat")
        .isGreaterThan(100);
    return largest.path("chat_id").asLong();
  }

  private static long chatOf(String query) {
    JsonNode chats = node.get("/chats?" + query).body();
    assertThat(chats).as(query).isNotEmpty();
    return chats.get(0).path("progress").path("chat_id").asLong();
  }

  @Test
  void theDashboardShowsTheNodesFiguresAndFollowsTheSyncByItself() {
    open("");
    await().until(() -> figure("synced_messages") > 0);
    assertThat(figure("total_chats")).isEqualTo(SimulatedTdlib.chatsTheNodeSees(node.world()).size());
    assertThat(page.findElements(By.cssSelector("[data-tier] [role=progressbar]"))).hasSize(4);
    // the figure the page shows is one /status gave: at most what the node has now
    long shown = figure("synced_messages");
    assertThat(shown).isLessThanOrEqualTo(node.get("/status").body().path("synced_messages").asLong());
    page.executeScript("window.stillTheSamePage = true");
    long chat = privateChat();
    for (int i = 0; i < 3; i++) {
      node.world().postMessage(chat, "live " + i);
    }
    await().until(() -> figure("synced_messages") >= shown + 3);
    assertThat(page.executeScript("return window.stillTheSamePage")).as("updated without a reload").isEqualTo(true);
    browser.screenshot("dashboard");

    page.manage().window().setSize(Browser.PHONE);
    try {
      open("");
      await().until(() -> figure("synced_messages") > 0);
      assertThat((Long) page.executeScript("return document.documentElement.scrollWidth - window.innerWidth"))
          .as("no sideways scrolling at a phone's width").isLessThanOrEqualTo(0L);
      browser.screenshot("dashboard-phone");
    } finally {
      page.manage().window().setSize(Browser.DESKTOP);
    }
  }

  @Test
  void syncNowStartsAP3ChatThatIsOff() {
    open("#/chats?priority=P3&state=not_synced");
    WebElement row = await().until(() -> page.findElement(By.cssSelector("#chats tr[data-state=not_synced]")),
        found -> found != null);
    long chatId = Long.parseLong(row.getAttribute("data-chat-id"));
    assertThat(page.findElements(By.cssSelector("#chats tbody tr"))).allSatisfy(r ->
        assertThat(r.findElement(By.cssSelector("td:nth-child(3)")).getText()).isEqualTo("P3"));
    browser.screenshot("chats");
    row.findElement(By.cssSelector("button.sync")).click();
    await().until(() -> node.get("/chats/" + chatId).body().path("progress").path("priority").asText()
        .equals("P4"));
    JsonNode view = node.get("/chats/" + chatId).body();
    assertThat(view.path("progress").path("enabled").asBoolean()).isTrue();
    assertThat(view.path("state").asText()).isIn("in_progress", "complete");
    // the table follows: off the not-synced filter, the chat shows as syncing
    open("#/chats");
    await().until(() -> !page.findElement(By.cssSelector("#chats tr[data-chat-id='" + chatId + "']"))
        .getAttribute("data-state").equals("not_synced"));
  }

  @Test
  void aSearchFindsACjkWordHighlightedAndOpensTheChatAtTheMessage() {
    long chat = privateChat();
    String word = "抹茶拿铁";
    long messageId = node.world().postMessage(chat, "<img src=x onerror=window.pwned=1> 明天喝" + word + "吧");
    await().until(() -> node.get("/search?q=" + URLEncoder.encode(word, StandardCharsets.UTF_8)).body().size() == 1);
    open("");
    WebElement search = page.findElement(By.id("search-input"));
    search.sendKeys(word, Keys.ENTER);
    WebElement hit = await().until(
        () -> page.findElement(By.cssSelector(".hit[data-message-id='" + messageId + "']")), found -> found != null);
    assertThat(hit.findElement(By.tagName("mark")).getText()).isEqualTo(word);
    assertThat(hit.getText()).contains("<img src=x onerror=window.pwned=1>");
    assertThat(hit.findElements(By.tagName("img"))).as("markup in a message is text").isEmpty();
    browser.screenshot("search");
    hit.findElement(By.tagName("a")).click();
    WebElement target = await().until(() -> page.findElement(By.cssSelector(".message.target")),
        found -> found != null);
    assertThat(target.getAttribute("data-message-id")).isEqualTo(String.valueOf(messageId));
    assertThat(page.getCurrentUrl()).contains("#/chat/" + chat).contains("at=" + messageId);
    assertThat((Boolean) page.executeScript("const r = arguments[0].getBoundingClientRect();"
        + " return r.top >= 0 && r.bottom <= window.innerHeight", target)).as("scrolled into view").isTrue();
    assertThat(page.executeScript("return window.pwned")).isNull();
  }

  @Test
  void theChatViewShowsEditsOnDemandDeletionsAndPagesBackToOlderMessages() {
    long chat = privateChat();
    long edited = node.world().postMessage(chat, "first words");
    node.world().editMessage(chat, edited, "second words");
    long deleted = node.world().postMessage(chat, "soon gone");
    node.world().deleteMessages(chat, deleted);
    await().until(() -> !archive("SELECT 1 FROM messages WHERE chat_id = ? AND message_id = ? AND deleted = 1",
        chat, deleted).isEmpty()
        && !archive("SELECT 1 FROM message_versions WHERE chat_id = ? AND message_id = ?", chat, edited).isEmpty());
    open("#/chat/" + chat + "?at=" + edited);
    WebElement message = await().until(
        () -> page.findElement(By.cssSelector("[data-message-id='" + edited + "']")), found -> found != null);
    assertThat(message.findElement(By.cssSelector(".text")).getText()).isEqualTo("second words");
    message.findElement(By.cssSelector("[data-versions]")).click();
    await().until(() -> message.findElement(By.cssSelector(".versions")).getText().contains("first words"));
    WebElement gone = page.findElement(By.cssSelector("[data-message-id='" + deleted + "']"));
    assertThat(gone.getAttribute("class")).contains("deleted");
    assertThat(gone.findElement(By.cssSelector(".deleted-badge")).getText()).isEqualTo("deleted");
    browser.screenshot("chat");

    List<WebElement> before = page.findElements(By.cssSelector(".message"));
    String oldest = before.get(0).getAttribute("data-message-id");
    WebElement olderButton = page.findElement(By.cssSelector("[data-page=older]"));
    page.executeScript("arguments[0].scrollIntoView({block: 'center'})", olderButton); // out from under the header
    olderButton.click();
    await().until(() -> page.findElements(By.cssSelector(".message")).size() > before.size());
    List<WebElement> after = page.findElements(By.cssSelector(".message"));
    int at = after.stream().map(m -> m.getAttribute("data-message-id")).toList().indexOf(oldest);
    assertThat(at).as("older messages come before the ones shown").isPositive();
  }

  @Test
  void aFloodWaitShowsABannerWithTheMethodAndTheSecondsLeft() {
    node.world().setTdlibTotalWaitLimit(Duration.ZERO);
    node.world().setServerLimit(1, 0);
    try {
      open("");
      long chat = chatOf("priority=P3&state=not_synced");
      assertThat(node.post("/chats/" + chat + "/sync").status()).isEqualTo(202);
      WebElement banner = await().until(() -> page.findElement(By.cssSelector("#flood-banner.banner")),
          found -> found != null);
      assertThat(banner.getText()).contains("Flood wait").containsPattern("after \\w+;").contains("s more");
      browser.screenshot("flood-wait");
    } finally {
      node.world().setServerLimit(0, 0);
      node.world().setTdlibTotalWaitLimit(Duration.ofSeconds(3));
    }
  }

  @Test
  void anUnknownChatShowsAClearPageAndNoStackTrace() {
    open("#/chat/424242");
    WebElement said = await().until(() -> page.findElement(By.id("unknown-chat")), found -> found != null);
    assertThat(said.getText()).contains("424242");
    assertThat(page.getPageSource()).doesNotContain("Exception").doesNotContain("at dev.tg");
    browser.screenshot("unknown-chat");
    open("#/no-such-page");
    await().until(() -> text("main").contains("There is no page /no-such-page here."));
  }

  @Test
  void offLoopbackThePageAsksForTheTokenAndThenShowsTheNode() {
    try (ApiNode guarded = ApiNode.start(dir.resolve("guarded"), null,
        Map.of("tg.http.host", "0.0.0.0", "tg.http.token", "open-sesame"), "127.0.0.1")) {
      page.get(guarded.uri("/").toString());
      WebElement input = await().until(() -> page.findElement(By.id("token-input")), WebElement::isDisplayed);
      input.sendKeys("wrong", Keys.ENTER);
      await().until(() -> page.findElement(By.id("token-input")).isDisplayed());
      page.findElement(By.id("token-input")).clear();
      page.findElement(By.id("token-input")).sendKeys("open-sesame", Keys.ENTER);
      await().until(() -> figure("total_chats") == SimulatedTdlib.chatsTheNodeSees(guarded.world()).size());
    }
  }
}
