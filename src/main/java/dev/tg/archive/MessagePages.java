package dev.tg.archive;

import dev.tg.archive.ArchiveReader.MessageRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a chat view reads (the web page's): pages of messages next to an anchor, with their replies and edit counts,
 * and a message's earlier versions. On the {@link ArchiveReader}'s connection, one query at a time.
 */
public final class MessagePages {
  private final ArchiveReader reader;

  MessagePages(ArchiveReader reader) {
    this.reader = reader;
  }

  /** Which page of a chat {@link #page} reads: the newest, or next to a message (older, newer, or around it). */
  public enum Anchor {
    NEWEST, BEFORE, AFTER, AROUND
  }

  /** A page of a chat's messages, oldest first, and whether the archive has older and newer ones. */
  public record MessagePage(List<PageMessage> messages, boolean hasOlder, boolean hasNewer) {}

  /** A message as a reader shows it: how many earlier versions its edits left, and what it replies to. */
  public record PageMessage(MessageRow message, int earlierVersions, String replySender, String replyText) {}

  /** An earlier version of an edited message; {@code editDate} is when it was written (null: the original). */
  public record MessageVersion(int version, Instant editDate, String contentType, String text, String replacedAt) {}

  /** Whether the archive knows the chat (its title, or its sync state). */
  public boolean knowsChat(String account, long chatId) {
    return !reader.rows("SELECT 1 FROM chats WHERE account = ? AND chat_id = ? UNION SELECT 1 FROM chat_sync_state "
        + "WHERE account = ? AND chat_id = ?", account, chatId, account, chatId).isEmpty();
  }

  /**
   * Up to {@code limit} messages of these chats next to the message {@code messageId} (ignored for
   * {@link Anchor#NEWEST}), in (date, id) order; an anchor the archive lacks reads as the newest page.
   */
  public MessagePage page(String account, Collection<Long> chatIds, Anchor anchor, long messageId, int limit) {
    synchronized (reader) {
      List<Map<String, Object>> at = anchor == Anchor.NEWEST ? List.of() : reader.rows("SELECT date, message_id "
          + "FROM messages WHERE account = ? AND" + inChats(chatIds) + " AND message_id = ? LIMIT 1",
          values(account, chatIds, messageId));
      if (at.isEmpty()) {
        List<PageMessage> newest = rows(account, chatIds, "", List.of(), false, limit + 1);
        return new MessagePage(oldestFirst(first(newest, limit)), newest.size() > limit, false);
      }
      List<Object> key = List.of(at.get(0).get("date"), at.get(0).get("message_id"));
      int olderCount = anchor == Anchor.BEFORE ? limit : anchor == Anchor.AROUND ? (limit + 1) / 2 : 0;
      int newerCount = limit - olderCount;
      // around a message: the message itself and older ones, then newer ones
      String older = " AND (m.date, m.message_id) " + (anchor == Anchor.AROUND ? "<=" : "<") + " (?, ?)";
      List<PageMessage> before = olderCount == 0 ? List.of()
          : rows(account, chatIds, older, key, false, olderCount + 1);
      List<PageMessage> after = newerCount == 0 ? List.of()
          : rows(account, chatIds, " AND (m.date, m.message_id) > (?, ?)", key, true, newerCount + 1);
      List<PageMessage> messages = oldestFirst(first(before, olderCount));
      messages.addAll(first(after, newerCount));
      return new MessagePage(messages, anchor == Anchor.AFTER || before.size() > olderCount,
          anchor == Anchor.BEFORE || after.size() > newerCount);
    }
  }

  /** {@code count} messages from the anchor outwards ({@code ascending}: the newer ones), nearest first. */
  private List<PageMessage> rows(String account, Collection<Long> chatIds, String condition, List<Object> key,
      boolean ascending, int count) {
    String order = ascending ? "ASC" : "DESC";
    String sql = "SELECT " + ArchiveReader.MESSAGE_COLUMNS + ", (SELECT COUNT(*) FROM message_versions v"
        + " WHERE v.account = m.account AND v.chat_id = m.chat_id AND v.message_id = m.message_id) AS versions,"
        + " r.text AS reply_text,"
        + " COALESCE(NULLIF(TRIM(COALESCE(ru.first_name, '') || ' ' || COALESCE(ru.last_name, '')), ''), rc.title)"
        + " AS reply_sender FROM messages m " + ArchiveReader.MESSAGE_JOINS
        + " LEFT JOIN messages r ON r.account = m.account AND r.chat_id = m.chat_id"
        + " AND r.message_id = m.reply_to_message_id"
        + " LEFT JOIN users ru ON ru.account = r.account AND ru.user_id = r.sender_id"
        + " LEFT JOIN chats rc ON rc.account = r.account AND rc.chat_id = r.sender_id"
        + " WHERE m.account = ? AND m." + inChats(chatIds).strip() + condition
        + " ORDER BY m.date " + order + ", m.message_id " + order + " LIMIT ?";
    List<Object> values = new ArrayList<>(List.of(values(account, chatIds)));
    values.addAll(key);
    values.add(count);
    List<PageMessage> messages = new ArrayList<>();
    reader.query(sql, result -> messages.add(new PageMessage(ArchiveReader.message(result), result.getInt("versions"),
        result.getString("reply_sender"), result.getString("reply_text"))), values.toArray());
    return messages;
  }

  /** The earlier versions of a message of these chats, oldest first; empty when the archive lacks the message. */
  public Optional<List<MessageVersion>> versions(String account, Collection<Long> chatIds, long messageId) {
    String message = " WHERE account = ? AND" + inChats(chatIds) + " AND message_id = ?";
    synchronized (reader) {
      if (reader.rows("SELECT 1 FROM messages" + message, values(account, chatIds, messageId)).isEmpty()) {
        return Optional.empty();
      }
      List<MessageVersion> versions = new ArrayList<>();
      reader.query("SELECT version, edit_date, content_type, text, replaced_at FROM message_versions" + message
          + " ORDER BY version", result -> versions.add(new MessageVersion(result.getInt(1),
              result.getLong(2) == 0 ? null : Instant.ofEpochSecond(result.getLong(2)), result.getString(3),
              result.getString(4), result.getString(5))),
          values(account, chatIds, messageId));
      return Optional.of(versions);
    }
  }

  private static String inChats(Collection<Long> chatIds) {
    return " chat_id IN (" + ArchiveReader.placeholders(chatIds.size()) + ")";
  }

  private static <T> List<T> first(List<T> list, int count) {
    return list.subList(0, Math.min(count, list.size()));
  }

  private static <T> List<T> oldestFirst(List<T> newestFirst) {
    List<T> reversed = new ArrayList<>(newestFirst);
    Collections.reverse(reversed);
    return reversed;
  }

  private static Object[] values(String account, Collection<Long> chatIds, Object... more) {
    List<Object> values = new ArrayList<>();
    values.add(account);
    values.addAll(chatIds);
    values.addAll(List.of(more));
    return values.toArray();
  }
}
