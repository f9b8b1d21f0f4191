package dev.tg.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A TDLib {@code formattedText} as Telegram Desktop's text parts, and back. Telegram Desktop cuts the text at its
 * entities and drops an entity that starts inside an earlier one ({@code export_data_types.cpp}, {@code ParseText});
 * offsets are UTF-16 units on both sides, as Java's strings count them.
 */
final class TdesktopText {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The entity types both sides know: TDLib's {@code textEntityType…} and Telegram Desktop's name. */
  private enum Kind {
    MENTION("textEntityTypeMention", "mention"),
    HASHTAG("textEntityTypeHashtag", "hashtag"),
    CASHTAG("textEntityTypeCashtag", "cashtag"),
    BOT_COMMAND("textEntityTypeBotCommand", "bot_command"),
    URL("textEntityTypeUrl", "link"),
    EMAIL("textEntityTypeEmailAddress", "email"),
    PHONE("textEntityTypePhoneNumber", "phone"),
    BANK_CARD("textEntityTypeBankCardNumber", "bank_card"),
    BOLD("textEntityTypeBold", "bold"),
    ITALIC("textEntityTypeItalic", "italic"),
    UNDERLINE("textEntityTypeUnderline", "underline"),
    STRIKETHROUGH("textEntityTypeStrikethrough", "strikethrough"),
    SPOILER("textEntityTypeSpoiler", "spoiler"),
    CODE("textEntityTypeCode", "code"),
    PRE("textEntityTypePre", "pre"),
    PRE_CODE("textEntityTypePreCode", "pre"),
    BLOCKQUOTE("textEntityTypeBlockQuote", "blockquote"),
    EXPANDABLE_BLOCKQUOTE("textEntityTypeExpandableBlockQuote", "blockquote"),
    TEXT_URL("textEntityTypeTextUrl", "text_link"),
    MENTION_NAME("textEntityTypeMentionName", "mention_name"),
    CUSTOM_EMOJI("textEntityTypeCustomEmoji", "custom_emoji");

    final String tdlib;
    final String tdesktop;

    Kind(String tdlib, String tdesktop) {
      this.tdlib = tdlib;
      this.tdesktop = tdesktop;
    }

    static Kind ofTdlib(String type) {
      for (Kind kind : values()) {
        if (kind.tdlib.equals(type)) {
          return kind;
        }
      }
      return null;
    }
  }

  private TdesktopText() {}

  /** Telegram Desktop's {@code text}: a string when the text has no entity, else a list of strings and parts. */
  static JsonNode text(JsonNode formattedText) {
    List<ObjectNode> parts = parts(formattedText);
    if (parts.isEmpty()) {
      return NODES.textNode("");
    }
    if (parts.size() == 1 && parts.get(0).path("type").asText().equals("plain")) {
      return parts.get(0).path("text");
    }
    ArrayNode list = NODES.arrayNode();
    parts.forEach(part -> list.add(part.path("type").asText().equals("plain") ? part.path("text") : part));
    return list;
  }

  /** Telegram Desktop's {@code text_entities}: every part, plain text too. */
  static ArrayNode entities(JsonNode formattedText) {
    ArrayNode list = NODES.arrayNode();
    parts(formattedText).forEach(list::add);
    return list;
  }

  private static List<ObjectNode> parts(JsonNode formattedText) {
    String text = formattedText.path("text").asText("");
    List<JsonNode> entities = new ArrayList<>();
    formattedText.path("entities").forEach(entities::add);
    entities.sort(Comparator.comparingInt((JsonNode entity) -> entity.path("offset").asInt())
        .thenComparing(Comparator.comparingInt((JsonNode entity) -> entity.path("length").asInt()).reversed()));
    List<ObjectNode> parts = new ArrayList<>();
    int offset = 0;
    for (JsonNode entity : entities) {
      int start = entity.path("offset").asInt();
      int length = entity.path("length").asInt();
      Kind kind = Kind.ofTdlib(entity.path("type").path("@type").asText());
      if (kind == null || start < offset || length <= 0 || start + length > text.length()) {
        continue;
      }
      if (start > offset) {
        parts.add(plain(text.substring(offset, start)));
      }
      parts.add(part(kind, entity.path("type"), text.substring(start, start + length)));
      offset = start + length;
    }
    if (offset < text.length()) {
      parts.add(plain(text.substring(offset)));
    }
    return parts;
  }

  private static ObjectNode plain(String text) {
    return NODES.objectNode().put("type", "plain").put("text", text);
  }

  private static ObjectNode part(Kind kind, JsonNode type, String text) {
    ObjectNode part = NODES.objectNode().put("type", kind.tdesktop).put("text", text);
    switch (kind) {
      case PRE -> part.put("language", "");
      case PRE_CODE -> part.put("language", type.path("language").asText(""));
      case TEXT_URL -> part.put("href", type.path("url").asText(""));
      case MENTION_NAME -> part.put("user_id", type.path("user_id").asLong());
      case CUSTOM_EMOJI -> part.put("document_id", type.path("custom_emoji_id").asText());
      case BLOCKQUOTE -> part.put("collapsed", false);
      case EXPANDABLE_BLOCKQUOTE -> part.put("collapsed", true);
      default -> { }
    }
    return part;
  }

  /**
   * The {@code formattedText} of an export's message: from {@code text_entities}, or from {@code text} in exports
   * that lack it. A part of a type TDLib does not know stays plain text.
   */
  static ObjectNode formattedText(JsonNode message) {
    JsonNode source = message.has("text_entities") ? message.path("text_entities") : message.path("text");
    StringBuilder text = new StringBuilder();
    ArrayNode entities = NODES.arrayNode();
    for (JsonNode part : source.isArray() ? source : List.of(source)) {
      String partText = part.isTextual() ? part.asText() : part.path("text").asText("");
      ObjectNode type = part.isObject() ? tdlibType(part) : null;
      if (type != null && !partText.isEmpty()) {
        ObjectNode entity = entities.addObject().put("@type", "textEntity").put("offset", text.length())
            .put("length", partText.length());
        entity.set("type", type);
      }
      text.append(partText);
    }
    ObjectNode formatted = NODES.objectNode().put("@type", "formattedText").put("text", text.toString());
    formatted.set("entities", entities);
    return formatted;
  }

  private static ObjectNode tdlibType(JsonNode part) {
    String name = part.path("type").asText();
    Kind kind = switch (name) {
      case "pre" -> part.path("language").asText("").isEmpty() ? Kind.PRE : Kind.PRE_CODE;
      case "blockquote" -> part.path("collapsed").asBoolean() ? Kind.EXPANDABLE_BLOCKQUOTE : Kind.BLOCKQUOTE;
      default -> {
        Kind found = null;
        for (Kind candidate : Kind.values()) {
          if (candidate.tdesktop.equals(name)) {
            found = candidate;
          }
        }
        yield found;
      }
    };
    if (kind == null) {
      return null;
    }
    ObjectNode type = NODES.objectNode().put("@type", kind.tdlib);
    switch (kind) {
      case PRE_CODE -> type.put("language", part.path("language").asText());
      case TEXT_URL -> type.put("url", part.path("href").asText(""));
      case MENTION_NAME -> type.put("user_id", part.path("user_id").asLong());
      case CUSTOM_EMOJI -> type.put("custom_emoji_id", part.path("document_id").asText());
      default -> { }
    }
    return type;
  }
}
