package dev.tg.node;

import dev.tg.simulator.SimMessage;
import dev.tg.simulator.SimulatedTelegram;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** Compares a node's archive with its simulated world: what is missing, twice, wrong or not marked. */
final class GroundTruth {
  private GroundTruth() {}

  /** Problems found in the given chats; empty when the archive holds exactly the world's messages. */
  static List<String> problems(TestNode node, List<Long> chatIds, boolean deletionsMarked) {
    return problems(node::query, node.world(), "demo", chatIds, deletionsMarked);
  }

  interface Archive {
    List<Map<String, Object>> query(String sql, Object... values);
  }

  static List<String> problems(
      Archive archive, SimulatedTelegram world, String account, List<Long> chatIds, boolean deletionsMarked) {
    List<String> problems = new ArrayList<>();
    for (long chatId : chatIds) {
      SortedMap<Long, SimMessage> truth = world.groundTruth(chatId);
      Map<Long, Map<String, Object>> archived = new HashMap<>();
      for (Map<String, Object> row : archive.query(
          "SELECT message_id, text, deleted FROM messages WHERE account = ? AND chat_id = ?", account, chatId)) {
        if (archived.put(((Number) row.get("message_id")).longValue(), row) != null) {
          problems.add(chatId + ": message " + row.get("message_id") + " archived twice");
        }
      }
      for (SimMessage message : truth.values()) {
        Map<String, Object> row = archived.get(message.id());
        if (row == null) {
          if (!message.deleted()) {
            problems.add(chatId + ": message " + message.id() + " missing");
          }
          continue;
        }
        if (!message.text().equals(row.get("text") == null ? "" : row.get("text"))) {
          problems.add(chatId + ": message " + message.id() + " has [" + row.get("text") + "], not ["
              + message.text() + "]");
        }
        boolean markedDeleted = ((Number) row.get("deleted")).intValue() == 1;
        if (markedDeleted && !message.deleted() || deletionsMarked && message.deleted() && !markedDeleted) {
          problems.add(chatId + ": message " + message.id() + " deleted=" + message.deleted() + " but archived "
              + "deleted=" + markedDeleted);
        }
      }
      archived.keySet().stream().filter(id -> !truth.containsKey(id))
          .forEach(id -> problems.add(chatId + ": message " + id + " is not in the world"));
    }
    return problems;
  }

  static List<Long> chatsWhere(TestNode node, String condition) {
    return node.query("SELECT chat_id FROM chat_sync_state WHERE account = 'demo' AND " + condition).stream()
        .map(row -> ((Number) row.get("chat_id")).longValue())
        .toList();
  }
}
