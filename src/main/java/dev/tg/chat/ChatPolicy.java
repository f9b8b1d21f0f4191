package dev.tg.chat;

import dev.tg.config.SyncSettings;
import dev.tg.scheduler.Priority;
import dev.tg.telegram.TdChat.ChatKind;

/** What the sync does with a chat: its tier and whether it runs without being asked. */
public record ChatPolicy(ChatKind kind, int memberCount, Priority priority, boolean enabled) {

  /** The design's rules: DMs and small groups fully, medium groups gradually, large ones and channels on request. */
  public static ChatPolicy decide(ChatKind kind, int memberCount, boolean requested, SyncSettings.Priorities rules) {
    if (requested) {
      return new ChatPolicy(kind, memberCount, Priority.P4, true);
    }
    return switch (kind) {
      case PRIVATE, SECRET -> new ChatPolicy(kind, memberCount, Priority.P1, rules.autoSyncDms());
      case CHANNEL -> new ChatPolicy(kind, memberCount, Priority.P3, rules.autoSyncChannels());
      case BASIC_GROUP, SUPERGROUP -> {
        if (memberCount < rules.smallGroupMax()) {
          yield new ChatPolicy(kind, memberCount, Priority.P1, rules.autoSyncSmallGroups());
        }
        if (memberCount <= rules.mediumGroupMax()) {
          yield new ChatPolicy(kind, memberCount, Priority.P2, rules.autoSyncMediumGroups());
        }
        yield new ChatPolicy(kind, memberCount, Priority.P3, rules.autoSyncLargeGroups());
      }
    };
  }
}
