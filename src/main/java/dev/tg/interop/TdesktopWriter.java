package dev.tg.interop;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tg.archive.ArchiveReader;
import dev.tg.archive.ArchiveReader.ChatRow;
import dev.tg.archive.MessageWindow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes archived chats as Telegram Desktop's "Export chat history" writes {@code result.json} (JsonWriter in
 * {@code export_output_json.cpp}, tdesktop commit 929032d5): one chat as {@code {name, type, id, messages}}, a whole
 * account as {@code {about, chats: {about, list}}}. A basic group upgraded to a supergroup is one chat with it,
 * its messages' ids 10^9 lower ({@code kMigratedMessagesIdShift}). Deleted messages are left out, as Telegram
 * Desktop knows none; secret chats too, as it never exports them.
 */
public final class TdesktopWriter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MIGRATED_ID_SHIFT = -1_000_000_000L;
  private static final String ABOUT = "Exported by tg from its archive in Telegram Desktop's JSON format.";
  private static final String ABOUT_CHATS = "This page lists all chats from this export.";
  private static final Map<String, String> TYPES = Map.of(
      "group", "private_group", "supergroup", "private_supergroup", "channel", "private_channel");

  private final ArchiveReader archive;
  private final String account;
  private final MessageWindow window;
  private final ZoneId zone;
  private final Names names;
  private final ExportedFiles files;

  /** {@code files}: what each message's file field says ({@link ExportedFiles#NONE} leaves every file out). */
  public TdesktopWriter(ArchiveReader archive, String account, MessageWindow window, ZoneId zone,
      ExportedFiles files) {
    this.archive = archive;
    this.account = account;
    this.window = window;
    this.zone = zone;
    this.names = new ArchiveNames(archive, account);
    this.files = files;
  }

  /** How much an export wrote. */
  public record Written(int chats, long messages) {}

  /** The chat (with the basic group it was upgraded from) as a single chat's {@code result.json}. */
  public Written writeChat(long chatId, Writer out) {
    ChatRow dialog = Dialogs.of(archive, account, chatId);
    Set<Long> history = archive.historyOf(account, dialog.chatId());
    if (Peers.kind(dialog.chatId()) == Peers.Kind.SECRET) {
      throw new InteropException(dialog.title() + " is a secret chat: Telegram Desktop's format has no place for "
          + "one (secret chats live on their devices only)");
    }
    return write(out, json -> new Written(1, dialog(json, dialog, history)));
  }

  /** Every chat with archived messages, in the whole-account layout. */
  public Written writeAccount(Writer out) {
    List<ChatRow> chats = Dialogs.all(archive, account).stream()
        .filter(chat -> Peers.kind(chat.chatId()) != Peers.Kind.SECRET).toList();
    return write(out, json -> {
      json.writeStartObject();
      json.writeStringField("about", ABOUT);
      json.writeObjectFieldStart("chats");
      json.writeStringField("about", ABOUT_CHATS);
      json.writeArrayFieldStart("list");
      long messages = 0;
      for (ChatRow chat : chats) {
        messages += dialog(json, chat, archive.historyOf(account, chat.chatId()));
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeEndObject();
      return new Written(chats.size(), messages);
    });
  }

  private interface Body {
    Written write(JsonGenerator json) throws IOException;
  }

  private static Written write(Writer out, Body body) {
    try {
      JsonGenerator json = JSON.getFactory().createGenerator(out).useDefaultPrettyPrinter();
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      Written written = body.write(json);
      json.close();
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long dialog(JsonGenerator json, ChatRow chat, Set<Long> history) throws IOException {
    json.writeStartObject();
    json.writeStringField("name", chat.title());
    json.writeStringField("type", typeOf(chat));
    json.writeNumberField("id", Peers.bareId(chat.chatId()));
    json.writeArrayFieldStart("messages");
    long[] count = {0};
    archive.eachStored(account, history, window, stored -> {
      if (stored.row().deleted()) {
        return;
      }
      try {
        JsonNode message = JSON.readTree(stored.rawJson());
        long shift = stored.row().chatId() == chat.chatId() ? 0 : MIGRATED_ID_SHIFT;
        json.writeTree(TdesktopMessage.of(message, chat.chatId(), shift, names, zone, files));
        count[0]++;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    json.writeEndArray();
    json.writeEndObject();
    return count[0];
  }

  private String typeOf(ChatRow chat) throws IOException {
    if (TYPES.containsKey(chat.chatType())) {
      return TYPES.get(chat.chatType());
    }
    for (Map<String, Object> user : archive.rows("SELECT raw_json FROM users WHERE account = ? AND user_id = ?",
        account, chat.chatId())) {
      if (JSON.readTree((String) user.get("raw_json")).path("type").path("@type").asText().equals("userTypeBot")) {
        return "bot_chat";
      }
    }
    return "personal_chat";
  }
}
