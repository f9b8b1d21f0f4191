package dev.tg.chat;

import dev.tg.archive.MessageChange;
import dev.tg.metrics.NodeMetrics;
import java.util.List;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * A chat's real-time writes: changes go to the archive in the order they came, one batch in flight at a time,
 * and each step answers the chat's next {@link ChatRuntime}. The frontier learns of a new message when it is heard
 * and again when it is stored.
 */
final class LiveLane {
  private final long chatId;
  private final ChatSync.Setup setup;
  private final ActorContext<ChatSync.Command> context;
  private final NodeMetrics metrics;

  LiveLane(long chatId, ChatSync.Setup setup, ActorContext<ChatSync.Command> context) {
    this.chatId = chatId;
    this.setup = setup;
    this.context = context;
    this.metrics = NodeMetrics.get(context.getSystem());
  }

  ChatRuntime heard(ChatRuntime runtime, ChatSync.Live live) {
    MessageChange change = ChatJobs.serverOnly(live.change());
    if (change == null) {
      return runtime;
    }
    Frontier frontier = change instanceof MessageChange.Added added
        ? runtime.frontier().heard(added.message().id(), live.realTime())
        : runtime.frontier();
    return write(runtime.with(frontier).with(runtime.live().add(change, live.heardNanos())));
  }

  ChatRuntime stored(ChatRuntime runtime, ChatSync.LiveStored stored) {
    return write(runtime.with(runtime.frontier().stored(stored.addedIds())).with(runtime.live().written()));
  }

  /** The batch was not stored: the next one goes, and the frontier never counts the failed one as stored. */
  ChatRuntime failed(ChatRuntime runtime, String problem) {
    return write(runtime.failed(problem).with(runtime.live().written()));
  }

  private ChatRuntime write(ChatRuntime runtime) {
    if (!runtime.live().ready()) {
      return runtime;
    }
    List<MessageChange> batch = runtime.live().queued();
    long[] heard = runtime.live().heardNanos().stream().mapToLong(Long::longValue).toArray();
    long incarnation = runtime.incarnation();
    var write = setup.archive().writeNow(store -> store.applyChanges(setup.account(), chatId, batch));
    write.thenRun(() -> metrics.liveWritten(setup.account(), heard));
    context.pipeToSelf(write,
        (stored, failure) -> failure == null
            ? new ChatSync.LiveStored(incarnation, ChatJobs.addedIds(batch), stored.archivedTotal())
            : new ChatSync.LiveStoreFailed(incarnation, failure));
    return runtime.with(runtime.live().sent());
  }
}
