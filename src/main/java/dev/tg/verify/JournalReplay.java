package dev.tg.verify;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.tg.chat.ChatState;
import dev.tg.chat.ChatSync;
import dev.tg.config.NodeSettings;
import dev.tg.node.JournalDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Recovers every chat's state from a stopped node's journal, read-only: a behavior with the chat actor's
 * persistence id that replays the snapshot and events and never persists anything. The state is folded with the
 * chat actor's own event handler, so the result is what the node itself would recover.
 */
public final class JournalReplay {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private JournalReplay() {}

  /**
   * One chat as the journal has it.
   *
   * @param baseline the state before the first replayed event: a snapshot's, or the empty state
   * @param events the events after the baseline, oldest first
   */
  public record Chat(String account, long chatId, ChatState baseline, List<ChatSync.Event> events, ChatState state) {}

  /** Every chat of every account in the node's journal (its file, or the shared PostgreSQL), by persistence id. */
  public static Map<String, Chat> replay(Config config, NodeSettings settings) {
    Config withJournal = JournalDatabase.prepare(config, settings)
        .withValue("pekko.loglevel", ConfigValueFactory.fromAnyRef("WARNING"))
        .withValue("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", ConfigValueFactory.fromAnyRef("off"));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tg-verify",
        ConfigFactory.empty().withFallback(withJournal));
    try {
      JdbcReadJournal journal = PersistenceQuery.get(system)
          .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
      List<String> ids = journal.currentPersistenceIds()
          .filter(id -> id.startsWith("chat|"))
          .runWith(Sink.seq(), system)
          .toCompletableFuture().join();
      Map<String, Chat> chats = new TreeMap<>();
      int n = 0;
      for (String id : ids) {
        ActorRef<GetReplayed> replayer = system.systemActorOf(Replayer.create(id), "replay-" + n++,
            org.apache.pekko.actor.typed.Props.empty());
        CompletionStage<Chat> replayed = AskPattern.ask(replayer, GetReplayed::new, TIMEOUT, system.scheduler());
        chats.put(id, replayed.toCompletableFuture().join());
      }
      return chats;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  record GetReplayed(ActorRef<Chat> replyTo) {}

  /** Replays one persistence id; answers what it saw once recovery is over (commands wait for recovery). */
  private static final class Replayer extends EventSourcedBehavior<GetReplayed, ChatSync.Event, ChatState> {
    private final String account;
    private final long chatId;
    private ChatState baseline;
    private final List<ChatSync.Event> events = new ArrayList<>();

    static Behavior<GetReplayed> create(String persistenceId) {
      return new Replayer(persistenceId);
    }

    private Replayer(String persistenceId) {
      super(PersistenceId.ofUniqueId(persistenceId));
      String[] parts = persistenceId.split("\\|");
      this.account = parts[1];
      this.chatId = Long.parseLong(parts[2]);
    }

    @Override
    public ChatState emptyState() {
      return ChatState.unknown();
    }

    @Override
    public CommandHandler<GetReplayed, ChatSync.Event, ChatState> commandHandler() {
      return newCommandHandlerBuilder().forAnyState().onCommand(GetReplayed.class, (state, get) -> {
        get.replyTo().tell(new Chat(account, chatId, baseline == null ? state : baseline, List.copyOf(events), state));
        return Effect().stop();
      }).build();
    }

    @Override
    public EventHandler<ChatState, ChatSync.Event> eventHandler() {
      return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> {
        if (baseline == null) {
          baseline = state;
        }
        events.add(event);
        return state.apply(event);
      });
    }
  }

}
