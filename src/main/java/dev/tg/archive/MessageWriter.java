package dev.tg.archive;

import static dev.tg.archive.Sql.bind;
import static dev.tg.archive.Sql.now;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a chat's messages inside the caller's transaction: idempotent inserts, edits kept as versions, deletions
 * marked, and live changes of messages not archived yet kept until the message arrives. A late history page never
 * overwrites a newer edit, and never brings back a deletion.
 */
final class MessageWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Connection connection;

  MessageWriter(Connection connection) {
    this.connection = connection;
  }

  /** Adds {@code inserted} to the chat's archived count; returns the count. */
  long addToCount(String account, long chatId, int inserted) throws SQLException {
    Sql.update(connection, "INSERT INTO chat_message_counts (account, chat_id, archived) VALUES (?, ?, ?) "
        + "ON CONFLICT (account, chat_id) DO UPDATE SET archived = chat_message_counts.archived + excluded.archived",
        account, chatId, inserted);
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT archived FROM chat_message_counts WHERE account = ? AND chat_id = ?")) {
      bind(select, account, chatId);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /** How many messages were new, and how many archived ones came back with a newer edit. */
  record Upserted(int inserted, int edited) {}

  Upserted upsert(String account, long chatId, List<MessageRecord> messages) throws SQLException {
    Map<Long, Integer> archivedEditDates = archivedEditDates(account, chatId, messages);
    Set<Long> unverified = unverifiedImports(account, chatId, messages);
    List<MessageRecord> inserted = new ArrayList<>();
    int edited = 0;
    String archivedAt = now();
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO messages (account, chat_id, message_id, sender_id, date, edit_date, is_outgoing, "
            + "content_type, text, reply_to_message_id, media_album_id, archived_at, raw_json) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (MessageRecord message : messages) {
        Integer archivedEditDate = archivedEditDates.get(message.id());
        if (archivedEditDate == null) {
          bind(insert, account, chatId, message.id(), message.senderId(), message.date(), message.editDate(),
              message.outgoing() ? 1 : 0, message.contentType(), message.text(), message.replyToMessageId(),
              message.mediaAlbumId(), archivedAt, message.rawJson());
          insert.addBatch();
          inserted.add(message);
        } else if (unverified.contains(message.id())) {
          verifyImported(account, chatId, message, archivedEditDate);
        } else if (message.editDate() > archivedEditDate) {
          replaceContent(account, chatId, message.id(), contentOf(message.rawJson()), message.text(), true);
          setEditDate(account, chatId, message.id(), message.editDate());
          edited++;
        }
      }
      insert.executeBatch();
    }
    applyPending(account, chatId, inserted);
    return new Upserted(inserted.size(), edited);
  }

  /** The messages the archive does not hold yet. */
  List<MessageRecord> absent(String account, long chatId, List<MessageRecord> messages) throws SQLException {
    Map<Long, Integer> archived = archivedEditDates(account, chatId, messages);
    return messages.stream().filter(message -> !archived.containsKey(message.id())).toList();
  }

  /** Marks messages just inserted as imported from {@code source}, each with the export's own JSON. */
  void markImported(String account, long chatId, List<ImportRecord> records, String source) throws SQLException {
    String now = now();
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO imported_messages (account, chat_id, "
        + "message_id, source, export_json, imported_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (ImportRecord record : records) {
        bind(insert, account, chatId, record.message().id(), source, record.exportJson(), now);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /**
   * Telegram shows a message that came from an export: its row takes TDLib's own JSON (the export is kept in
   * {@code imported_messages}), and the imported content becomes a version if Telegram's is a later edit.
   */
  private void verifyImported(String account, long chatId, MessageRecord message, int importedEditDate)
      throws SQLException {
    replaceContent(account, chatId, message.id(), contentOf(message.rawJson()), message.text(),
        message.editDate() > importedEditDate);
    Sql.update(connection, "UPDATE messages SET sender_id = ?, date = ?, edit_date = ?, is_outgoing = ?, "
            + "reply_to_message_id = ?, media_album_id = ?, raw_json = ? "
            + "WHERE account = ? AND chat_id = ? AND message_id = ?",
        message.senderId(), message.date(), Math.max(message.editDate(), importedEditDate),
        message.outgoing() ? 1 : 0, message.replyToMessageId(), message.mediaAlbumId(), message.rawJson(),
        account, chatId, message.id());
    Sql.update(connection, "UPDATE imported_messages SET verified_at = ? "
        + "WHERE account = ? AND chat_id = ? AND message_id = ?", now(), account, chatId, message.id());
  }

  private Set<Long> unverifiedImports(String account, long chatId, List<MessageRecord> messages)
      throws SQLException {
    Set<Long> ids = new HashSet<>();
    if (messages.isEmpty()) {
      return ids;
    }
    try (PreparedStatement select = connection.prepareStatement("SELECT message_id FROM imported_messages "
        + "WHERE account = ? AND chat_id = ? AND message_id BETWEEN ? AND ? AND verified_at IS NULL")) {
      bind(select, account, chatId, messages.stream().mapToLong(MessageRecord::id).min().orElseThrow(),
          messages.stream().mapToLong(MessageRecord::id).max().orElseThrow());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getLong(1));
        }
      }
    }
    return ids;
  }

  /** A live edit, content update or deletion: applied to the archived message, or kept until it arrives. */
  void apply(String account, long chatId, MessageChange change) throws SQLException {
    if (change instanceof MessageChange.Deleted deleted) {
      for (long messageId : deleted.messageIds()) {
        applyOrKeep(account, chatId, messageId, new MessageChange.Deleted(List.of(messageId)));
      }
    } else if (change instanceof MessageChange.ContentUpdated updated) {
      applyOrKeep(account, chatId, updated.messageId(), updated);
    } else if (change instanceof MessageChange.Edited edited) {
      applyOrKeep(account, chatId, edited.messageId(), edited);
    } else {
      throw new IllegalArgumentException("not a change of an archived message: " + change);
    }
  }

  /** Archived messages in [from, to] that a complete view of that range no longer holds: deleted meanwhile. */
  int markMissingDeleted(String account, long chatId, Set<Long> present, long from, long to) throws SQLException {
    List<Long> gone = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT message_id FROM messages "
        + "WHERE account = ? AND chat_id = ? AND message_id BETWEEN ? AND ? AND deleted = 0")) {
      bind(select, account, chatId, from, to);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          if (!present.contains(rows.getLong(1))) {
            gone.add(rows.getLong(1));
          }
        }
      }
    }
    for (long messageId : gone) {
      markDeleted(account, chatId, messageId);
    }
    return gone.size();
  }

  /** Changes kept for messages in [from, to] that a complete page of that range did not hold: they are gone. */
  void dropPending(String account, long chatId, long from, long to) throws SQLException {
    Sql.update(connection, "DELETE FROM pending_changes WHERE account = ? AND chat_id = ? "
        + "AND message_id BETWEEN ? AND ?", account, chatId, from, to);
  }

  private void applyOrKeep(String account, long chatId, long messageId, MessageChange change) throws SQLException {
    Integer editDate = archivedEditDate(account, chatId, messageId);
    if (editDate != null) {
      applyToArchived(account, chatId, messageId, editDate, change);
      return;
    }
    String kind = change instanceof MessageChange.Deleted ? "deleted"
        : change instanceof MessageChange.Edited ? "edited" : "content";
    Integer changeEditDate = change instanceof MessageChange.Edited edited ? edited.editDate() : null;
    String content = change instanceof MessageChange.Edited edited ? edited.contentJson()
        : change instanceof MessageChange.ContentUpdated updated ? updated.contentJson() : null;
    String text = change instanceof MessageChange.Edited edited ? edited.text()
        : change instanceof MessageChange.ContentUpdated updated ? updated.text() : null;
    Sql.update(connection, "INSERT INTO pending_changes (account, chat_id, message_id, kind, edit_date, "
        + "content_json, text, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        account, chatId, messageId, kind, changeEditDate, content, text, now());
  }

  private void applyToArchived(String account, long chatId, long messageId, int archivedEditDate,
      MessageChange change) throws SQLException {
    if (change instanceof MessageChange.Deleted) {
      markDeleted(account, chatId, messageId);
    } else if (change instanceof MessageChange.ContentUpdated updated) {
      replaceContent(account, chatId, messageId, updated.contentJson(), updated.text(), false);
    } else if (change instanceof MessageChange.Edited edited && edited.editDate() >= archivedEditDate) {
      // edit dates are seconds: two edits of one second are told apart by their content
      if (edited.contentJson() != null && !sameContent(edited.contentJson(),
          archivedContent(account, chatId, messageId))) {
        replaceContent(account, chatId, messageId, edited.contentJson(), edited.text(), true);
      }
      setEditDate(account, chatId, messageId, edited.editDate());
    }
  }

  /**
   * Applies the changes kept for messages just inserted. The message may be newer than some of them (its page was
   * fetched after an edit): the last edit whose content it already carries, and everything before, is dropped.
   */
  private void applyPending(String account, long chatId, List<MessageRecord> inserted) throws SQLException {
    if (inserted.isEmpty()) {
      return;
    }
    Map<Long, MessageRecord> byId = new HashMap<>();
    inserted.forEach(message -> byId.put(message.id(), message));
    Map<Long, List<MessageChange>> pending = new LinkedHashMap<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT message_id, kind, edit_date, content_json, "
        + "text FROM pending_changes WHERE account = ? AND chat_id = ? AND message_id BETWEEN ? AND ? ORDER BY seq")) {
      bind(select, account, chatId, byId.keySet().stream().mapToLong(Long::longValue).min().orElseThrow(),
          byId.keySet().stream().mapToLong(Long::longValue).max().orElseThrow());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          long messageId = rows.getLong(1);
          if (byId.containsKey(messageId)) {
            pending.computeIfAbsent(messageId, id -> new ArrayList<>()).add(switch (rows.getString(2)) {
              case "deleted" -> new MessageChange.Deleted(List.of(messageId));
              case "edited" ->
                  new MessageChange.Edited(messageId, rows.getInt(3), rows.getString(4), rows.getString(5));
              default -> new MessageChange.ContentUpdated(messageId, rows.getString(4), rows.getString(5));
            });
          }
        }
      }
    }
    for (Map.Entry<Long, List<MessageChange>> entry : pending.entrySet()) {
      MessageRecord message = byId.get(entry.getKey());
      List<MessageChange> changes = entry.getValue();
      String content = contentOf(message.rawJson());
      int carried = -1;
      for (int i = 0; i < changes.size(); i++) {
        if (changes.get(i) instanceof MessageChange.Edited edited && content.equals(edited.contentJson())) {
          carried = i;
        }
      }
      for (MessageChange change : changes.subList(carried + 1, changes.size())) {
        applyToArchived(account, chatId, message.id(), archivedEditDate(account, chatId, message.id()), change);
      }
      Sql.update(connection, "DELETE FROM pending_changes WHERE account = ? AND chat_id = ? AND message_id = ?",
          account, chatId, message.id());
    }
  }

  private Map<Long, Integer> archivedEditDates(String account, long chatId, List<MessageRecord> messages)
      throws SQLException {
    Map<Long, Integer> editDates = new HashMap<>();
    if (messages.isEmpty()) {
      return editDates;
    }
    long min = messages.stream().mapToLong(MessageRecord::id).min().orElseThrow();
    long max = messages.stream().mapToLong(MessageRecord::id).max().orElseThrow();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT message_id, edit_date FROM messages "
            + "WHERE account = ? AND chat_id = ? AND message_id BETWEEN ? AND ?")) {
      bind(select, account, chatId, min, max);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          editDates.put(rows.getLong(1), rows.getInt(2));
        }
      }
    }
    return editDates;
  }

  private Integer archivedEditDate(String account, long chatId, long messageId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT edit_date FROM messages WHERE account = ? AND chat_id = ? AND message_id = ?")) {
      bind(select, account, chatId, messageId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getInt(1) : null;
      }
    }
  }

  /** Puts new content in the message; with {@code keepVersion} the archived content becomes the next version. */
  private void replaceContent(String account, long chatId, long messageId, String contentJson, String text,
      boolean keepVersion) throws SQLException {
    try (PreparedStatement current = connection.prepareStatement(
        "SELECT edit_date, content_type, text, raw_json FROM messages "
            + "WHERE account = ? AND chat_id = ? AND message_id = ?")) {
      bind(current, account, chatId, messageId);
      try (ResultSet row = current.executeQuery()) {
        row.next();
        ObjectNode message = (ObjectNode) JSON.readTree(row.getString(4));
        if (keepVersion) {
          Sql.update(connection, "INSERT INTO message_versions (account, chat_id, message_id, version, edit_date, "
                  + "content_type, text, content_json, replaced_at) SELECT ?, ?, ?, COALESCE(MAX(version), 0) + 1, "
                  + "?, ?, ?, ?, ? FROM message_versions WHERE account = ? AND chat_id = ? AND message_id = ?",
              account, chatId, messageId, row.getInt(1), row.getString(2), row.getString(3),
              message.path("content").toString(), now(), account, chatId, messageId);
        }
        ObjectNode content = (ObjectNode) JSON.readTree(contentJson);
        message.set("content", content);
        Sql.update(connection, "UPDATE messages SET content_type = ?, text = ?, raw_json = ? "
                + "WHERE account = ? AND chat_id = ? AND message_id = ?",
            content.path("@type").asText(), text, message.toString(), account, chatId, messageId);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String archivedContent(String account, long chatId, long messageId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT raw_json FROM messages WHERE account = ? AND chat_id = ? AND message_id = ?")) {
      bind(select, account, chatId, messageId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? contentOf(row.getString(1)) : null;
      }
    }
  }

  /**
   * Contents alike but for their files' state in one TDLib instance: the file id (FileManager's, per run), the
   * local copy, and the remote id beside the unique id (it carries the file reference, which the server renews).
   */
  private static boolean sameContent(String content, String other) {
    return other != null && withoutFileState(content).equals(withoutFileState(other));
  }

  private static JsonNode withoutFileState(String content) {
    try {
      JsonNode tree = JSON.readTree(content);
      stripFileState(tree);
      return tree;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stripFileState(JsonNode node) {
    if (node instanceof ObjectNode file && "file".equals(file.path("@type").asText())) {
      file.remove(List.of("id", "local"));
      file.set("remote", JSON.createObjectNode().put("unique_id", file.path("remote").path("unique_id").asText()));
      return;
    }
    node.forEach(MessageWriter::stripFileState);
  }

  private void setEditDate(String account, long chatId, long messageId, int editDate) throws SQLException {
    Sql.update(connection, "UPDATE messages SET edit_date = ? WHERE account = ? AND chat_id = ? AND message_id = ?",
        editDate, account, chatId, messageId);
  }

  private void markDeleted(String account, long chatId, long messageId) throws SQLException {
    Sql.update(connection, "UPDATE messages SET deleted = 1, deleted_at = ? "
        + "WHERE account = ? AND chat_id = ? AND message_id = ? AND deleted = 0", now(), account, chatId, messageId);
  }

  private static String contentOf(String rawMessage) {
    try {
      return JSON.readTree(rawMessage).path("content").toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
