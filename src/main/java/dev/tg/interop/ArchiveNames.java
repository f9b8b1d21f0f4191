package dev.tg.interop;

import dev.tg.archive.ArchiveReader;
import java.util.HashMap;
import java.util.Map;

/** The names of an account's users and chats, read from the archive once for a whole export. */
final class ArchiveNames implements Names {
  private final Map<Long, String> names = new HashMap<>();

  ArchiveNames(ArchiveReader archive, String account) {
    archive.rows("SELECT chat_id AS id, title AS name FROM chats WHERE account = ?", account)
        .forEach(row -> names.put(((Number) row.get("id")).longValue(), (String) row.get("name")));
    archive.rows("SELECT user_id AS id, TRIM(COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')) AS name "
            + "FROM users WHERE account = ?", account)
        .forEach(row -> names.put(((Number) row.get("id")).longValue(), (String) row.get("name")));
  }

  @Override
  public String of(long userOrChatId) {
    String name = names.get(userOrChatId);
    return name == null || name.isEmpty() ? null : name;
  }
}
