package dev.tg.interop;

/** The names an export writes beside ids: a user's full name or a chat's title; null when unknown. */
interface Names {
  String of(long userOrChatId);
}
