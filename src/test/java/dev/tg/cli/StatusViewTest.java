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

  @Test
  void aClusterMemberShowsTheMembersAndWhereEachAccountRuns() throws Exception {
    String shown = StatusView.render(JSON.readTree("""
        {"accounts": [
           {"name": "alice", "connection_state": "ready", "runner": "pekko://tg@10.0.0.2:25520"},
           {"name": "bob", "connection_state": "waiting for lease (held by node-c/1f3a9c2e until 2026-12-02T10:15:30Z)"}],
         "cluster_members": [
           {"address": "pekko://tg@10.0.0.1:25520", "status": "up", "reachable": true, "self": true},
           {"address": "pekko://tg@10.0.0.2:25520", "status": "up", "reachable": true, "self": false},
           {"address": "pekko://tg@10.0.0.3:25520", "status": "leaving", "reachable": false, "self": false}]}
        """));

    assertThat(shown).contains("Cluster\n")
        .contains("Member (this):   pekko://tg@10.0.0.1:25520  up\n")
        .contains("Member:          pekko://tg@10.0.0.3:25520  leaving, unreachable\n")
        .contains("Account:         alice  on pekko://tg@10.0.0.2:25520\n")
        .contains("Account:         bob  not running (waiting for lease (held by node-c/1f3a9c2e until ");
  }

  @Test
  void aSingleNodeShowsNoClusterSection() throws Exception {
    String shown = StatusView.render(JSON.readTree("""
        {"accounts": [{"name": "alice", "connection_state": "ready"}]}
        """));

    assertThat(shown).doesNotContain("Cluster").doesNotContain("Account:");
  }
}
