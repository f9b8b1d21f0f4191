package dev.tg.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * Renders a stored message (id, date, optional revision) into TDLib's {@code message} JSON; everything else — sender,
 * content kind, words, replies, albums — is derived from (seed, chat, server id), so it costs no memory.
 */
final class MessageFactory {
  private enum Kind {
    TEXT("messageText"),
    PHOTO("messagePhoto"),
    DOCUMENT("messageDocument"),
    STICKER("messageSticker"),
    VOICE_NOTE("messageVoiceNote"),
    ADD_MEMBERS("messageChatAddMembers"),
    CHANGE_TITLE("messageChatChangeTitle"),
    PIN("messagePinMessage"),
    UNSUPPORTED("messageUnsupported"),
    UPGRADE_TO("messageChatUpgradeTo"),
    UPGRADE_FROM("messageChatUpgradeFrom");

    final String type;

    Kind(String type) {
      this.type = type;
    }

    boolean hasText() {
      return this == TEXT || this == PHOTO || this == DOCUMENT || this == VOICE_NOTE;
    }
  }

  /** Where a rendered message's details come from: the world's users, linked chats and forward origins. */
  interface Context {
    long seed();

    long meId();

    long memberAt(int poolIndex);

    int memberPoolSize();

    WorldChat chat(long chatId);

    /** Channels the account is not in, that messages are forwarded from. */
    List<WorldChat> foreignChats();
  }

  private static final int LINK_PER_MILLE = 80;
  private static final int FORWARD_PER_MILLE = 50;

  private final Context world;

  MessageFactory(Context world) {
    this.world = world;
  }

  /** Whether the message's content has a text or caption that an edit can change. */
  boolean isEditable(WorldChat chat, int index) {
    return kind(chat, index).hasText();
  }

  String contentType(WorldChat chat, int index) {
    return kind(chat, index).type;
  }

  /** A text message with a link: the server adds a link preview to it. */
  boolean hasLinkPreview(WorldChat chat, int index) {
    return kind(chat, index) == Kind.TEXT && Texts.firstLink(text(chat, index)) != null;
  }

  /**
   * Whether the message is found with this searchMessagesFilter, as get_message_content_index_mask
   * (MessageContent.cpp) decides: photos for Photo and PhotoAndVideo, documents for Document, voice notes for VoiceNote and VoiceAndVideoNote, a text or caption with a link for Url; the world has
   * no other content those filters find, nor pinned, mentioning or failed messages.
   */
  boolean matches(WorldChat chat, int index, String filter) {
    Kind kind = kind(chat, index);
    return switch (filter) {
      case "searchMessagesFilterPhoto", "searchMessagesFilterPhotoAndVideo" -> kind == Kind.PHOTO;
      case "searchMessagesFilterDocument" -> kind == Kind.DOCUMENT;
      case "searchMessagesFilterVoiceNote", "searchMessagesFilterVoiceAndVideoNote" -> kind == Kind.VOICE_NOTE;
      case "searchMessagesFilterUrl" -> kind.hasText() && Texts.firstLink(text(chat, index)) != null;
      default -> false;
    };
  }

  /** Whether the text or caption contains the query, ignoring case. */
  boolean containsText(WorldChat chat, int index, String lowerCaseQuery) {
    return text(chat, index).toLowerCase(Locale.ROOT).contains(lowerCaseQuery);
  }

  /** The sender as a chat id: a user id, or the channel's chat id for posts signed by the channel. */
  long senderId(WorldChat chat, int index) {
    long hash = hash(chat, index);
    if (chat.kind == ChatKind.CHANNEL) {
      return chat.id;
    }
    if (isOutgoing(chat, index, hash)) {
      return world.meId();
    }
    return chat.partnerUserId != 0 ? chat.partnerUserId : member(chat, hash >>> 21);
  }

  /** The current text or caption; empty for content without one. */
  String text(WorldChat chat, int index) {
    ChatHistory.Revision revision = chat.history.revision(index);
    if (revision != null) {
      return revision.text();
    }
    return generatedText(chat, index, kind(chat, index));
  }

  /** A fresh text for a live edit of the message. */
  String editedText(WorldChat chat, int index, int version) {
    return Texts.sentence(Texts.hash(world.seed(), chat.id, chat.history.serverIdAt(index), version));
  }

  ObjectNode message(WorldChat chat, int index) {
    long hash = hash(chat, index);
    ChatHistory history = chat.history;
    ChatHistory.Revision revision = history.revision(index);
    Kind kind = kind(chat, index);
    ObjectNode message = envelope(chat, history.messageIdAt(index), senderId(chat, index), null,
        isOutgoing(chat, index, hash), history.dateAt(index), revision == null ? 0 : revision.editDate());
    ObjectNode forward = revision == null && kind.hasText() ? forwardInfo(chat, index) : null;
    if (forward != null) {
      message.set("forward_info", forward);
    }
    message.putArray("unread_reactions");
    if (kind == Kind.TEXT && index > 0 && Texts.pick(hash >>> 5, 10) == 0) {
      int target = index - 1 - Texts.pick(hash >>> 9, Math.min(index, 20));
      message.set("reply_to", TdObjects.object("messageReplyToMessage")
          .put("chat_id", chat.id)
          .put("message_id", history.messageIdAt(target))
          .put("checklist_task_id", 0)
          .put("poll_option_id", "")
          .put("origin_send_date", 0));
    }
    String mediaAlbumId = kind == Kind.PHOTO && Texts.pick(hash >>> 13, 3) == 0
        ? Long.toString(Texts.hash(world.seed(), chat.id, history.serverIdAt(index) / 4) >>> 1)
        : "0";
    return finish(message, mediaAlbumId, content(chat, index, kind, hash, text(chat, index)));
  }

  /**
   * A scheduled message: scheduling_state messageSchedulingStateSendAtDate, its date the send date, sent by the
   * account; TDLib keeps such messages apart from the history (MessagesManager's scheduled_messages).
   */
  ObjectNode scheduledMessage(WorldChat chat, WorldChat.ScheduledMessage scheduled) {
    ObjectNode state = TdObjects.object("messageSchedulingStateSendAtDate")
        .put("send_date", scheduled.sendDate())
        .put("repeat_period", 0);
    ObjectNode message = envelope(chat, scheduled.id(), world.meId(), state, true, scheduled.sendDate(), 0);
    message.putArray("unread_reactions");
    return finish(message, "0", textContent(scheduled.text(), true));
  }

  /** The fields of td_api::message up to edit_date. */
  private ObjectNode envelope(
      WorldChat chat, long id, long senderId, ObjectNode schedulingState, boolean outgoing, int date, int editDate) {
    ObjectNode message = TdObjects.object("message").put("id", id);
    message.set("sender_id", senderId > 0
        ? TdObjects.object("messageSenderUser").put("user_id", senderId)
        : TdObjects.object("messageSenderChat").put("chat_id", senderId));
    message.put("chat_id", chat.id);
    if (schedulingState != null) {
      message.set("scheduling_state", schedulingState);
    }
    return message
        .put("is_outgoing", outgoing)
        .put("is_pinned", false)
        .put("is_from_offline", false)
        .put("can_be_saved", true)
        .put("has_timestamped_media", false)
        .put("is_channel_post", chat.kind == ChatKind.CHANNEL)
        .put("is_paid_star_suggested_post", false)
        .put("is_paid_ton_suggested_post", false)
        .put("contains_unread_mention", false)
        .put("contains_unread_poll_votes", false)
        .put("date", date)
        .put("edit_date", editDate);
  }

  /** The fields of td_api::message after reply_to. */
  private static ObjectNode finish(ObjectNode message, String mediaAlbumId, ObjectNode content) {
    message.put("self_destruct_in", 0.0)
        .put("auto_delete_in", 0.0)
        .put("via_bot_user_id", 0)
        .put("sender_business_bot_user_id", 0)
        .put("sender_boost_count", 0)
        .put("sender_tag", "")
        .put("paid_message_star_count", 0)
        .put("author_signature", "")
        .put("media_album_id", mediaAlbumId)
        .put("effect_id", "0")
        .put("summary_language_code", "");
    message.set("content", content);
    return message;
  }

  /** A messageText; a link in it has its link_preview once the preview has arrived. */
  private static ObjectNode textContent(String text, boolean previewArrived) {
    ObjectNode content = TdObjects.object(Kind.TEXT.type);
    content.set("text", TdObjects.formattedText(text));
    String link = Texts.firstLink(text);
    if (link != null && previewArrived) {
      content.set("link_preview", TdObjects.linkPreview(link));
    }
    return content;
  }

  /**
   * Some generated messages are forwarded from a foreign channel: forward_info {origin: messageOriginChannel} names a
   * message of that channel older than the forward.
   */
  private ObjectNode forwardInfo(WorldChat chat, int index) {
    List<WorldChat> origins = world.foreignChats();
    long hash = Texts.hash(hash(chat, index), 3);
    if (origins.isEmpty() || chat.foreign || Texts.pick(hash, 1000) >= FORWARD_PER_MILLE) {
      return null;
    }
    WorldChat origin = origins.get(Texts.pick(hash >>> 10, origins.size()));
    int newest = origin.history.lastIndexAtOrBefore(chat.history.dateAt(index));
    if (newest < 0) {
      return null;
    }
    int originIndex = Texts.pick(hash >>> 20, newest + 1);
    ObjectNode info = TdObjects.object("messageForwardInfo");
    info.set("origin", TdObjects.object("messageOriginChannel")
        .put("chat_id", origin.id)
        .put("message_id", origin.history.messageIdAt(originIndex))
        .put("author_signature", ""));
    return info.put("date", origin.history.dateAt(originIndex)).put("public_service_announcement_type", "");
  }

  private ObjectNode file(WorldFiles.Kind kind, long messageHash) {
    return WorldFiles.file(kind, WorldFiles.key(world.seed(), kind, messageHash));
  }

  private long hash(WorldChat chat, int index) {
    return Texts.hash(world.seed(), chat.id, chat.history.serverIdAt(index));
  }

  private Kind kind(WorldChat chat, int index) {
    ChatHistory.Revision revision = chat.history.revision(index);
    if (revision != null && revision.source().isPlainText()) {
      return Kind.TEXT;
    }
    if (chat.upgradeLinkedChatId != 0) {
      if (chat.upgradedAway && index == chat.history.size() - 1) {
        return Kind.UPGRADE_TO;
      }
      if (!chat.upgradedAway && index == 0) {
        return Kind.UPGRADE_FROM;
      }
    }
    long hash = hash(chat, index);
    int roll = Texts.pick(hash >>> 17, 1000);
    boolean group = chat.kind == ChatKind.BASIC_GROUP || chat.kind.isSupergroup();
    if (roll < 800) {
      return Kind.TEXT;
    } else if (roll < 870) {
      return Kind.PHOTO;
    } else if (roll < 910) {
      return Kind.DOCUMENT;
    } else if (roll < 935) {
      return Kind.STICKER;
    } else if (roll < 950) {
      return Kind.VOICE_NOTE;
    } else if (roll < 990) {
      if (!group) {
        return Kind.TEXT;
      }
      int service = Texts.pick(hash >>> 27, chat.kind == ChatKind.CHANNEL ? 2 : 3);
      return service == 0 ? Kind.CHANGE_TITLE : service == 1 ? Kind.PIN : Kind.ADD_MEMBERS;
    }
    return Kind.UNSUPPORTED;
  }

  private String generatedText(WorldChat chat, int index, Kind kind) {
    long hash = hash(chat, index);
    if (kind == Kind.TEXT || (kind.hasText() && Texts.pick(hash >>> 31, 2) == 0)) {
      String sentence = Texts.sentence(Texts.hash(world.seed(), chat.id, chat.history.serverIdAt(index), 0));
      long linkHash = Texts.hash(hash, 4);
      return Texts.pick(linkHash, 1000) < LINK_PER_MILLE ? sentence + " " + Texts.link(linkHash) : sentence;
    }
    return "";
  }

  private boolean isOutgoing(WorldChat chat, int index, long hash) {
    ChatHistory.Revision revision = chat.history.revision(index);
    if (revision != null && revision.source() == ChatHistory.Source.SENT_BY_ME) {
      return true;
    }
    int percent = Texts.pick(hash >>> 3, 100);
    return switch (chat.kind) {
      case PRIVATE, SECRET -> percent < 45;
      case BASIC_GROUP, SUPERGROUP -> percent < 10;
      case CHANNEL -> false;
    };
  }

  private long member(WorldChat chat, long hash) {
    int poolSize = world.memberPoolSize();
    return world.memberAt((chat.memberPoolStart + Texts.pick(hash, Math.min(chat.memberCount, poolSize))) % poolSize);
  }

  private ObjectNode content(WorldChat chat, int index, Kind kind, long hash, String text) {
    if (kind == Kind.TEXT) {
      return textContent(text, !chat.history.isPreviewPending(index));
    }
    ObjectNode content = TdObjects.object(kind.type);
    switch (kind) {
      case PHOTO -> {
        ObjectNode size = TdObjects.object("photoSize").put("type", "y");
        size.set("photo", file(WorldFiles.Kind.PHOTO, hash));
        size.put("width", 1280).put("height", 960).putArray("progressive_sizes");
        ObjectNode photo = TdObjects.object("photo").put("has_stickers", false);
        photo.putArray("sizes").add(size);
        content.set("photo", photo);
        content.set("caption", TdObjects.formattedText(text));
        content.put("show_caption_above_media", false).put("has_spoiler", false).put("is_secret", false);
      }
      case DOCUMENT -> {
        ObjectNode document = TdObjects.object("document")
            .put("file_name", "document-" + Texts.pick(hash, 10_000) + ".pdf")
            .put("mime_type", "application/pdf");
        document.set("document", file(WorldFiles.Kind.DOCUMENT, hash));
        content.set("document", document);
        content.set("caption", TdObjects.formattedText(text));
      }
      case STICKER -> {
        ObjectNode sticker = TdObjects.object("sticker")
            .put("id", Long.toString(hash >>> 1))
            .put("set_id", Long.toString(Texts.hash(hash) >>> 1))
            .put("width", 512)
            .put("height", 512)
            .put("emoji", "👍");
        sticker.set("format", TdObjects.object("stickerFormatWebp"));
        sticker.set("full_type", TdObjects.object("stickerFullTypeRegular"));
        sticker.set("sticker", file(WorldFiles.Kind.STICKER, hash));
        content.set("sticker", sticker);
        content.put("is_premium", false);
      }
      case VOICE_NOTE -> {
        ObjectNode voiceNote = TdObjects.object("voiceNote")
            .put("duration", 1 + Texts.pick(hash >>> 5, 120))
            .put("waveform", "")
            .put("mime_type", "audio/ogg");
        voiceNote.set("voice", file(WorldFiles.Kind.VOICE_NOTE, hash));
        content.set("voice_note", voiceNote);
        content.set("caption", TdObjects.formattedText(text));
        content.put("is_listened", false);
      }
      case ADD_MEMBERS -> content.putArray("member_user_ids").add(member(chat, hash >>> 7));
      case CHANGE_TITLE -> content.put("title", Texts.title(hash));
      case PIN -> content.put("message_id", index > 0 ? chat.history.messageIdAt(index - 1) : 0);
      case UPGRADE_TO -> content.put("supergroup_id", world.chat(chat.upgradeLinkedChatId).entityId);
      case UPGRADE_FROM -> {
        WorldChat basicGroup = world.chat(chat.upgradeLinkedChatId);
        content.put("title", basicGroup.title).put("basic_group_id", basicGroup.entityId);
      }
      case UNSUPPORTED -> { }
    }
    return content;
  }
}
