package dev.tg.interop;

/**
 * TDLib's chat and message ids beside Telegram Desktop's peers: TDLib's chat id packs the peer kind into ranges
 * ({@code td/telegram/DialogId.cpp}: basic groups negative, channels below -10^12, secret chats around -2*10^12),
 * Telegram Desktop writes the kind as a prefix ({@code user…}, {@code chat…}, {@code channel…}) on the bare id;
 * a TDLib message id is the server's id shifted by 20 bits ({@code td/telegram/MessageId.h}).
 */
public final class Peers {
  private static final long ZERO_CHANNEL_ID = -1_000_000_000_000L;
  private static final long ZERO_SECRET_ID = -2_000_000_000_000L;
  private static final long SECRET_SPAN = 1L << 31;
  private static final int SERVER_ID_SHIFT = 20;

  enum Kind { USER, BASIC_GROUP, CHANNEL, SECRET }

  private Peers() {}

  static Kind kind(long chatId) {
    if (chatId > 0) {
      return Kind.USER;
    } else if (chatId > ZERO_CHANNEL_ID) {
      return Kind.BASIC_GROUP;
    } else if (chatId >= ZERO_SECRET_ID + SECRET_SPAN) {
      return Kind.CHANNEL;
    }
    return Kind.SECRET;
  }

  /** The id Telegram Desktop writes for a chat: the user's, the basic group's or the channel's own id. */
  static long bareId(long chatId) {
    return switch (kind(chatId)) {
      case USER -> chatId;
      case BASIC_GROUP -> -chatId;
      case CHANNEL -> ZERO_CHANNEL_ID - chatId;
      case SECRET -> chatId - ZERO_SECRET_ID;
    };
  }

  static long chatId(Kind kind, long bareId) {
    return switch (kind) {
      case USER -> bareId;
      case BASIC_GROUP -> -bareId;
      case CHANNEL -> ZERO_CHANNEL_ID - bareId;
      case SECRET -> ZERO_SECRET_ID + bareId;
    };
  }

  /** {@code user42}, {@code chat42} or {@code channel42}, as Telegram Desktop's {@code from_id}. */
  static String peerId(long chatId) {
    String prefix = switch (kind(chatId)) {
      case USER, SECRET -> "user";
      case BASIC_GROUP -> "chat";
      case CHANNEL -> "channel";
    };
    return prefix + bareId(chatId);
  }

  /** The TDLib chat id of a {@code from_id}; a bare number (exports before April 2021) is a user. */
  static long chatIdOfPeer(String peerId) {
    for (Kind kind : new Kind[] {Kind.CHANNEL, Kind.BASIC_GROUP, Kind.USER}) {
      String prefix = kind == Kind.CHANNEL ? "channel" : kind == Kind.BASIC_GROUP ? "chat" : "user";
      if (peerId.startsWith(prefix)) {
        return chatId(kind, Long.parseLong(peerId.substring(prefix.length())));
      }
    }
    return Long.parseLong(peerId);
  }

  public static long serverId(long messageId) {
    return messageId >> SERVER_ID_SHIFT;
  }

  static long messageId(long serverId) {
    return serverId << SERVER_ID_SHIFT;
  }
}
