package dev.tg.archive;

/**
 * A row of {@code chats}: {@code type} as the design's {@code chat_sync_state.chat_type} names it;
 * {@code upgradedToChatId} 0 when the chat was not upgraded (a known successor is never forgotten).
 */
public record ChatRecord(long id, String type, String title, int memberCount, long upgradedToChatId) {}
