package dev.tg.interop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.archive.ArchiveStore;
import dev.tg.archive.ChatRecord;
import dev.tg.archive.MessageChange;
import dev.tg.archive.MessageRecord;
import dev.tg.archive.UserRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * An archive whose messages hold every field kind the Telegram Desktop format carries: entities (nested ones too),
 * edits, replies, forwards, signatures, service actions, media captions, a deletion; in a private chat, a
 * supergroup upgraded from a basic group, and a channel.
 */
final class InteropArchive {
  static final String ACCOUNT = "demo";
  static final long ME = 7_000_000_001L;
  static final long ANNA = 7_000_000_002L;
  static final long BORIS = 7_000_000_003L;
  static final long PRIVATE = ANNA;
  static final long BASIC = -4_000_001L;
  static final long SUPER = -1_001_900_000_001L;
  static final long CHANNEL = -1_001_900_000_002L;
  static final int T0 = 1_704_067_200;
  private static final ObjectMapper JSON = new ObjectMapper();

  private InteropArchive() {}

  static Path create(Path dataDir) {
    Path file = dataDir.resolve("archive.db");
    try (ArchiveStore store = ArchiveStore.open(file)) {
      store.saveChat(ACCOUNT, new ChatRecord(PRIVATE, "private", "Anna Smith", 2, 0));
      store.saveChat(ACCOUNT, new ChatRecord(BASIC, "group", "Family", 3, SUPER));
      store.saveChat(ACCOUNT, new ChatRecord(SUPER, "supergroup", "Family", 3, 0));
      store.saveChat(ACCOUNT, new ChatRecord(CHANNEL, "channel", "News", 500, 0));
      for (long[] user : new long[][] {{ME}, {ANNA}, {BORIS}}) {
        String first = user[0] == ME ? "Me" : user[0] == ANNA ? "Anna" : "Борис";
        String last = user[0] == ME ? "Myself" : user[0] == ANNA ? "Smith" : "Петров";
        store.saveUser(ACCOUNT, new UserRecord(user[0], first, last, null, "", false, false, 0,
            JSON.createObjectNode().put("@type", "user").put("id", user[0]).toString()));
      }
      store.storeMessages(ACCOUNT, PRIVATE, List.of(
          record(text(PRIVATE, 1, ANNA, 0, "Hello *world* with a link and 👍 emoji",
              entity(6, 7, "textEntityTypeBold"), entity(7, 5, "textEntityTypeItalic"),
              entity(21, 4, type("textEntityTypeTextUrl").put("url", "https://example.org/a?b=1")),
              entity(30, 2, type("textEntityTypeCustomEmoji").put("custom_emoji_id", "5368324170671202286")))),
          record(edited(reply(text(PRIVATE, 2, ME, 60, "code: x = 1\nAnna",
              entity(6, 5, type("textEntityTypePreCode").put("language", "python")),
              entity(12, 4, type("textEntityTypeMentionName").put("user_id", ANNA))), PRIVATE, 1), 90)),
          record(forward(text(PRIVATE, 3, ANNA, 120, "forwarded words", entity(0, 9,
              "textEntityTypeExpandableBlockQuote")), origin("messageOriginUser").put("sender_user_id", BORIS))),
          record(caption(PRIVATE, 4, ME, 180, "messagePhoto", "a photo caption")),
          record(text(PRIVATE, 5, ANNA, 240, "this one was deleted"))));
      store.applyChanges(ACCOUNT, PRIVATE, List.of(new MessageChange.Deleted(List.of(id(5)))));
      store.storeMessages(ACCOUNT, BASIC, List.of(
          record(service(BASIC, 1, ANNA, 10, content("messageBasicGroupChatCreate").put("title", "Family")
              .set("member_user_ids", JSON.createArrayNode().add(ANNA).add(BORIS)))),
          record(text(BASIC, 2, BORIS, 20, "before the upgrade")),
          record(reply(text(BASIC, 3, ANNA, 25, "a reply inside the basic group"), BASIC, 2)),
          record(service(BASIC, 4, ANNA, 30, content("messageChatUpgradeTo").put("supergroup_id", 1_900_000_001L)))));
      store.storeMessages(ACCOUNT, SUPER, List.of(
          record(service(SUPER, 1, ANNA, 31, content("messageChatUpgradeFrom").put("title", "Family")
              .put("basic_group_id", 4_000_001L))),
          record(text(SUPER, 2, BORIS, 40, "after the upgrade: #tag @anna /start")),
          record(service(SUPER, 3, ANNA, 50, content("messageChatChangeTitle").put("title", "Family 2"))),
          record(service(SUPER, 4, ANNA, 55, content("messagePinMessage").put("message_id", id(2)))),
          record(service(SUPER, 5, ME, 56, content("messageChatAddMembers")
              .set("member_user_ids", JSON.createArrayNode().add(BORIS))))));
      ObjectNode post = text(CHANNEL, 1, 0, 70, "channel post");
      post.putObject("sender_id").put("@type", "messageSenderChat").put("chat_id", CHANNEL);
      post.put("author_signature", "Editor");
      store.storeMessages(ACCOUNT, CHANNEL, List.of(record(post),
          record(forward(text(CHANNEL, 2, 0, 80, "from a hidden user"), origin("messageOriginHiddenUser")
              .put("sender_name", "Someone Hidden")))));
    }
    return file;
  }

  static long id(long serverId) {
    return serverId << 20;
  }

  static ObjectNode text(long chatId, long serverId, long sender, int second, String text, ObjectNode... entities) {
    ObjectNode message = message(chatId, serverId, sender, second);
    message.putObject("content").put("@type", "messageText").set("text", formatted(text, entities));
    return message;
  }

  private static ObjectNode message(long chatId, long serverId, long sender, int second) {
    ObjectNode message = JSON.createObjectNode().put("@type", "message").put("id", id(serverId))
        .put("chat_id", chatId);
    if (sender != 0) {
      message.putObject("sender_id").put("@type", "messageSenderUser").put("user_id", sender);
    }
    return message.put("date", T0 + second).put("edit_date", 0).put("is_outgoing", sender == ME)
        .put("author_signature", "").put("media_album_id", "0");
  }

  private static ObjectNode caption(long chatId, long serverId, long sender, int second, String type, String text) {
    ObjectNode message = message(chatId, serverId, sender, second);
    message.putObject("content").put("@type", type).set("caption", formatted(text));
    return message;
  }

  private static ObjectNode service(long chatId, long serverId, long sender, int second, ObjectNode content) {
    ObjectNode message = message(chatId, serverId, sender, second);
    message.set("content", content);
    return message;
  }

  private static ObjectNode formatted(String text, ObjectNode... entities) {
    ObjectNode formatted = JSON.createObjectNode().put("@type", "formattedText").put("text", text);
    ArrayNode list = formatted.putArray("entities");
    for (ObjectNode entity : entities) {
      list.add(entity);
    }
    return formatted;
  }

  private static ObjectNode entity(int offset, int length, String type) {
    return entity(offset, length, type(type));
  }

  private static ObjectNode entity(int offset, int length, ObjectNode type) {
    ObjectNode entity = JSON.createObjectNode().put("@type", "textEntity").put("offset", offset).put("length", length);
    entity.set("type", type);
    return entity;
  }

  private static ObjectNode type(String type) {
    return JSON.createObjectNode().put("@type", type);
  }

  private static ObjectNode content(String type) {
    return JSON.createObjectNode().put("@type", type);
  }

  private static ObjectNode origin(String type) {
    return JSON.createObjectNode().put("@type", type);
  }

  private static ObjectNode reply(ObjectNode message, long chatId, long serverId) {
    message.putObject("reply_to").put("@type", "messageReplyToMessage").put("chat_id", chatId)
        .put("message_id", id(serverId));
    return message;
  }

  private static ObjectNode edited(ObjectNode message, int second) {
    return message.put("edit_date", T0 + second);
  }

  private static ObjectNode forward(ObjectNode message, ObjectNode origin) {
    message.putObject("forward_info").put("@type", "messageForwardInfo").put("date", T0)
        .put("public_service_announcement_type", "").set("origin", origin);
    return message;
  }

  private static MessageRecord record(ObjectNode message) {
    return MessageRecord.of(message);
  }
}
