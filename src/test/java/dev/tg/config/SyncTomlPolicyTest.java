package dev.tg.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.http.ApiNode;
import dev.tg.node.SimulatedTdlib;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sync.toml override changes what the running node does: here, which tier a small group lands in. */
class SyncTomlPolicyTest {
  @TempDir
  Path dir;

  @Test
  void smallGroupMaxMovesSmallGroupsToTheMediumTier() throws Exception {
    Path toml = Files.writeString(dir.resolve("sync.toml"), """
        [sync.priorities]
        small_group_max = 2
        medium_group_max = 100
        [sync.rate_limits]
        global_rps = 50
        """);
    try (ApiNode node = ApiNode.start(dir.resolve("data"), toml, java.util.Map.of())) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
          node.get("/chats").body().size() == SimulatedTdlib.chatsTheNodeSees(node.world()).size());
      List<JsonNode> groups = StreamSupport.stream(node.get("/chats").body().spliterator(), false)
          .map(view -> view.path("progress"))
          .filter(chat -> List.of("group", "supergroup").contains(chat.path("chat_type").asText()))
          .toList();
      List<JsonNode> smallByDefault = groups.stream()
          .filter(chat -> chat.path("member_count").asInt() >= 2 && chat.path("member_count").asInt() < 20)
          .toList();
      assertThat(smallByDefault).isNotEmpty()
          .allSatisfy(chat -> assertThat(chat.path("priority").asText()).as(chat.toString()).isEqualTo("P2"));
      assertThat(groups).noneMatch(chat -> chat.path("priority").asText().equals("P1"));
      assertThat(node.get("/status").body().path("rate_limit_status").path("configured_limit").asDouble())
          .isEqualTo(50.0);
    }
  }
}
