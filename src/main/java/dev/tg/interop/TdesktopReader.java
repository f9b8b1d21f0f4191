package dev.tg.interop;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Telegram Desktop JSON export one message at a time, so that ten years of history need not fit in memory:
 * a single chat ({@code {name, type, id, messages}}) or a whole account ({@code chats.list} and
 * {@code left_chats.list}, and {@code personal_information.user_id}). Every error names the file, the line and the
 * column.
 */
final class TdesktopReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A chat of the export as it names itself. */
  record Dialog(String name, String type, long id) {}

  interface Sink {
    void self(long userId);

    void dialog(Dialog dialog);

    void message(Dialog dialog, JsonNode message);
  }

  private final Path file;
  private final Sink sink;
  private JsonParser parser;

  private TdesktopReader(Path file, Sink sink) {
    this.file = file;
    this.sink = sink;
  }

  static void read(Path file, Sink sink) {
    new TdesktopReader(file, sink).read();
  }

  private void read() {
    try (JsonParser opened = JSON.getFactory().createParser(Files.newBufferedReader(file))) {
      parser = opened;
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw bad(parser.currentTokenLocation(), "not a Telegram Desktop export: it does not start with an object");
      }
      JsonLocation start = parser.currentTokenLocation();
      if (!object(start, true)) {
        throw bad(start, "neither a chat (no \"messages\") nor a whole account (no \"chats\")");
      }
      if (parser.nextToken() != null) {
        throw bad(parser.currentTokenLocation(), "unexpected content after the export's object");
      }
    } catch (JsonProcessingException e) {
      throw bad(e.getLocation(), e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private record Field(String name, JsonNode value) {}

  /** {@code chats} / {@code left_chats}: {@code {about, list: [dialog, ...]}}. */
  private void chatList() throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw bad(parser.currentTokenLocation(), "the chat list is not an object");
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      if (!name.equals("list")) {
        parser.skipChildren();
        continue;
      }
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        throw bad(parser.currentTokenLocation(), "the chat list's \"list\" is not an array");
      }
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        object(parser.currentTokenLocation(), false);
      }
      if (parser.currentToken() != JsonToken.END_ARRAY) {
        throw bad(parser.currentTokenLocation(), "a chat of the list that is not an object");
      }
    }
  }

  /**
   * A chat (of the list, or the whole file), or at the top level also a whole account; true when it held messages
   * or chats. Telegram Desktop writes name, type and id before the messages; other tools may not, and then the
   * messages wait for them.
   */
  private boolean object(JsonLocation start, boolean topLevel) throws IOException {
    List<Field> fields = new ArrayList<>();
    List<JsonNode> early = new ArrayList<>();
    JsonLocation earlyAt = null;
    Dialog dialog = null;
    boolean chats = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      if (name.equals("messages")) {
        if (fields.stream().map(Field::name).toList().containsAll(List.of("type", "id"))) {
          dialog = header(fields, start);
          dialogMessages(dialog);
        } else {
          earlyAt = parser.currentTokenLocation();
          early.add(parser.readValueAsTree());
        }
      } else if (name.equals("name") || name.equals("type") || name.equals("id")) {
        fields.add(new Field(name, parser.readValueAsTree()));
      } else if (topLevel && name.equals("personal_information")) {
        sink.self(parser.<JsonNode>readValueAsTree().path("user_id").asLong());
      } else if (topLevel && (name.equals("chats") || name.equals("left_chats"))) {
        chats = true;
        chatList();
      } else {
        parser.skipChildren();
      }
    }
    if (dialog == null && (!early.isEmpty() || !topLevel)) {
      dialog = header(fields, start);
      for (JsonNode messages : early) {
        if (!messages.isArray()) {
          throw bad(earlyAt, "\"messages\" is not an array");
        }
        for (JsonNode message : messages) {
          deliver(dialog, message, earlyAt);
        }
      }
    }
    return dialog != null || chats;
  }

  private Dialog header(List<Field> fields, JsonLocation start) {
    JsonNode name = null;
    JsonNode type = null;
    JsonNode id = null;
    for (Field field : fields) {
      switch (field.name()) {
        case "name" -> name = field.value();
        case "type" -> type = field.value();
        case "id" -> id = field.value();
        default -> { }
      }
    }
    if (type == null || !type.isTextual() || id == null || !id.canConvertToLong()) {
      throw bad(start, "a chat without its \"type\" and numeric \"id\"");
    }
    Dialog dialog = new Dialog(name == null || name.isNull() ? null : name.asText(), type.asText(), id.asLong());
    try {
      sink.dialog(dialog);
    } catch (BadExport e) {
      throw bad(start, e.getMessage());
    }
    return dialog;
  }

  private void dialogMessages(Dialog dialog) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw bad(parser.currentTokenLocation(), "\"messages\" is not an array");
    }
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      JsonLocation at = parser.currentTokenLocation();
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw bad(at, "a message that is not an object");
      }
      deliver(dialog, parser.readValueAsTree(), at);
    }
  }

  private void deliver(Dialog dialog, JsonNode message, JsonLocation at) {
    try {
      sink.message(dialog, message);
    } catch (BadExport e) {
      throw bad(at, e.getMessage());
    }
  }

  private InteropException bad(JsonLocation at, String problem) {
    String where = at == null ? "" : ": line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new InteropException(file + where + ": " + problem);
  }
}
