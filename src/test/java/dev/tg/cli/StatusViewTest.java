package dev.tg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code tg status}'s rate-limiting section, from the JSON the node's /status gives (RatesTest proves that part). */
class StatusViewTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aWaitTdlibSitsOutIsShownBesideThe429BeingObeyed() throws Exception {
    JsonNode status = JSON.readTree("""
        {"rate_limit_status": {"requests_per_second": 4, "limit": 10.0, "configured_limit": 20.0,
          "flood_wait": {"account": "me", "until": "2026-12-02T05:00:00Z", "method": "getChatHistory", "seconds": 7},
          "slow_request": {"account": "me", "method": "searchChatMessages", "chat_id": 42, "seconds": 12}}}
        """);

    String shown = StatusView.render(status);

    assertThat(shown).contains("Requests/sec:", "4/10 (lowered from 20)")
        .contains("7 s on getChatHistory")
        .contains("Waiting:", "searchChatMessages unanswered for 12 s (TDLib may be sitting out a flood wait)");
  }

  @Test
  void nothingIsWaitingWhenNoRequestIsSlow() throws Exception {
    String shown = StatusView.render(JSON.readTree("""
        {"rate_limit_status": {"requests_per_second": 3, "limit": 20.0, "configured_limit": 20.0}}
        """));

    assertThat(shown).contains("Flood wait:", "None").doesNotContain("Waiting:");
  }
}
