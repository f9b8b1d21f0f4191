package dev.tg.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.archive.ArchiveReader;
import dev.tg.archive.ArchiveStore;
import dev.tg.archive.ChatRecord;
import dev.tg.archive.ImportRecord;
import dev.tg.archive.MessageRecord;
import dev.tg.archive.UserRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings a Telegram Desktop JSON export into the archive in one transaction: all of it, or (on any error) nothing.
 * Each message goes to its chat under TDLib's id (the server id × 2^20) and is marked imported; a message the
 * archive already has is left as it is, so importing twice, or importing what the node synced, adds nothing.
 */
public final class TdesktopImport implements TdesktopReader.Sink {
  private static final int BATCH = 500;
  private static final long MIGRATED_ID_SHIFT = -1_000_000_000L;
  // exports before April 2021 wrote chat ids with the peer kind in bits 32 and 33
  private static final long OLD_CHAT_SHIFT = 1L << 32;
  private static final long OLD_CHANNEL_SHIFT = 1L << 33;

  /** A service message naming members, held until the end of its chat, when every sender's name is known. */
  private record Held(long chatId, JsonNode exported, ObjectNode tdlib) {}

  /** What an import did; {@code notes} explain what was left out. */
  public record Imported(int chats, long messages, long added, long skipped, List<String> notes) {}

  private final ArchiveStore store;
  private final ArchiveReader reader;
  private final String account;
  private final String source;
  private final ZoneId zone;
  private final Map<Long, List<ImportRecord>> pending = new LinkedHashMap<>();
  private final Set<Long> usersSaved = new HashSet<>();
  private final Map<String, Long> userIds = new HashMap<>();
  private final List<Held> held = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private long selfUserId;
  private long dialogChatId;
  private long predecessor;
  private int chats;
  private long messages;
  private long added;
  private long skipped;
  private long migratedWithoutGroup;

  private TdesktopImport(ArchiveStore store, ArchiveReader reader, String account, Path file, ZoneId zone) {
    this.store = store;
    this.reader = reader;
    this.account = account;
    this.source = file.toAbsolutePath().toString();
    this.zone = zone;
    reader.rows("SELECT user_id, TRIM(COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')) AS name "
        + "FROM users WHERE account = ?", account)
        .forEach(row -> knowUser((String) row.get("name"), ((Number) row.get("user_id")).longValue()));
  }

  /** Imports {@code path}: a {@code result.json}, or the export's folder holding one. */
  public static Imported run(ArchiveStore store, ArchiveReader reader, String account, Path path, ZoneId zone) {
    Path file = Files.isDirectory(path) ? path.resolve("result.json") : path;
    if (!Files.isRegularFile(file)) {
      throw new InteropException("no Telegram Desktop export at " + file);
    }
    TdesktopImport run = new TdesktopImport(store, reader, account, file, zone);
    return store.atomically(writer -> {
      TdesktopReader.read(file, run);
      run.endDialog();
      return run.result();
    });
  }

  @Override
  public void self(long userId) {
    selfUserId = userId;
  }

  @Override
  public void dialog(TdesktopReader.Dialog dialog) {
    endDialog();
    Peers.Kind kind = switch (dialog.type()) {
      case "personal_chat", "bot_chat", "saved_messages", "replies", "verification_codes" -> Peers.Kind.USER;
      case "private_group" -> Peers.Kind.BASIC_GROUP;
      case "private_supergroup", "public_supergroup", "private_channel", "public_channel" -> Peers.Kind.CHANNEL;
      default -> throw new BadExport("a chat of the unknown type \"" + dialog.type() + "\"");
    };
    long bare = dialog.id();
    if (kind == Peers.Kind.BASIC_GROUP && bare >= OLD_CHAT_SHIFT && bare < 2 * OLD_CHAT_SHIFT) {
      bare -= OLD_CHAT_SHIFT;
    } else if (kind == Peers.Kind.CHANNEL && bare >= OLD_CHANNEL_SHIFT && bare < 2 * OLD_CHANNEL_SHIFT) {
      bare -= OLD_CHANNEL_SHIFT;
    }
    dialogChatId = Peers.chatId(kind, bare);
    String chatType = switch (kind) {
      case USER, SECRET -> "private";
      case BASIC_GROUP -> "group";
      case CHANNEL -> dialog.type().endsWith("channel") ? "channel" : "supergroup";
    };
    String title = dialog.name() != null ? dialog.name()
        : dialog.type().equals("saved_messages") ? "Saved Messages" : Long.toString(dialogChatId);
    store.saveChatIfUnknown(account, new ChatRecord(dialogChatId, chatType, title, 0, 0));
    predecessor = kind != Peers.Kind.CHANNEL ? 0 : reader.rows("SELECT chat_id FROM chats WHERE account = ? "
        + "AND upgraded_to_chat_id = ?", account, dialogChatId).stream()
        .mapToLong(row -> ((Number) row.get("chat_id")).longValue()).findFirst().orElse(0);
    chats++;
  }

  @Override
  public void message(TdesktopReader.Dialog dialog, JsonNode exported) {
    messages++;
    if (ImportedMessage.isUnsupported(exported)) {
      skipped++;
      return;
    }
    long id = ImportedMessage.exportedId(exported);
    boolean migrated = id < 0 && Peers.kind(dialogChatId) == Peers.Kind.CHANNEL;
    if (migrated && predecessor == 0) {
      skipped++;
      migratedWithoutGroup++;
      return;
    }
    if (id <= 0 && !migrated) {
      throw new BadExport("message " + id + ": a message id must be positive");
    }
    long chatId = migrated ? predecessor : dialogChatId;
    long shift = migrated ? MIGRATED_ID_SHIFT : 0;
    ObjectNode tdlib = ImportedMessage.toTdlib(exported,
        new ImportedMessage.Target(chatId, id - shift, shift, selfUserId), zone);
    saveSender(exported, MessageRecord.of(tdlib).senderId());
    if (exported.path("members").isArray()) {
      held.add(new Held(chatId, exported, tdlib));
    } else {
      add(chatId, exported, tdlib);
    }
  }

  private void add(long chatId, JsonNode exported, JsonNode tdlib) {
    List<ImportRecord> batch = pending.computeIfAbsent(chatId, key -> new ArrayList<>());
    batch.add(new ImportRecord(MessageRecord.of(tdlib), exported.toString()));
    if (batch.size() >= BATCH) {
      flush(chatId);
    }
  }

  /** Members are named, not numbered, in an export: a name one user of the archive or the export has is theirs. */
  private void resolveMembers(Held message) {
    ObjectNode content = (ObjectNode) message.tdlib().path("content");
    List<Long> ids = new ArrayList<>();
    message.exported().path("members").forEach(name -> {
      Long id = userIds.get(name.asText());
      if (id != null && id > 0) {
        ids.add(id);
      }
    });
    if (content.has("member_user_ids")) {
      ids.forEach(((ArrayNode) content.path("member_user_ids"))::add);
    } else if (content.has("user_id") && !ids.isEmpty()) {
      content.put("user_id", ids.get(0));
    }
  }

  private void knowUser(String name, long id) {
    if (name != null && !name.isEmpty()) {
      userIds.merge(name, id, (known, other) -> known.equals(other) ? known : -1L);
    }
  }

  private void saveSender(JsonNode exported, long sender) {
    JsonNode name = exported.has("actor") ? exported.path("actor") : exported.path("from");
    if (sender <= 0 || !name.isTextual()) {
      return;
    }
    knowUser(name.asText(), sender);
    if (usersSaved.add(sender)) {
      String raw = JsonNodeFactory.instance.objectNode().put("@type", "user").put("id", sender)
          .put("first_name", name.asText()).put("last_name", "").toString();
      store.saveUserIfUnknown(account, new UserRecord(sender, name.asText(), "", null, "", false, false, 0, raw));
    }
  }

  private void flush(long chatId) {
    List<ImportRecord> batch = pending.remove(chatId);
    if (batch == null || batch.isEmpty()) {
      return;
    }
    Map<Long, ImportRecord> unique = new LinkedHashMap<>();
    batch.forEach(record -> unique.putIfAbsent(record.message().id(), record));
    added += store.storeImported(account, chatId, List.copyOf(unique.values()), source).inserted();
  }

  private void endDialog() {
    for (Held message : held) {
      resolveMembers(message);
      add(message.chatId(), message.exported(), message.tdlib());
    }
    held.clear();
    new ArrayList<>(pending.keySet()).forEach(this::flush);
  }

  private Imported result() {
    if (migratedWithoutGroup > 0) {
      notes.add(migratedWithoutGroup + " message(s) of basic groups upgraded to supergroups were left out: the export "
          + "does not name the basic group; run the node until it has synced the supergroup, then import again");
    }
    return new Imported(chats, messages, added, skipped, List.copyOf(notes));
  }
}
