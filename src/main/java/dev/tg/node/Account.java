package dev.tg.node;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.JsonSerializable;
import dev.tg.archive.Archive;
import dev.tg.chat.ChatSync;
import dev.tg.config.SyncSettings;
import dev.tg.contacts.Contacts;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.scheduler.Scheduler;
import dev.tg.status.Status;
import dev.tg.status.SyncStatus.AccountStatus;
import dev.tg.telegram.TdClient;
import dev.tg.telegram.TdDispatcher;
import dev.tg.telegram.Telegram;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

/**
 * One account's subtree (telegram, scheduler with its chats, contacts, status), addressed only by its name so
 * that it can become a Cluster Sharding entity. A fault inside it restarts the whole subtree with a new client.
 */
public final class Account {

  public interface Command extends JsonSerializable {}

  public record GetStatus(ActorRef<AccountStatus> replyTo) implements Command {}

  public record GetChats(Status.ChatFilter filter, ActorRef<List<Status.ChatView>> replyTo) implements Command {}

  public record GetChat(long chatId, ActorRef<Optional<Status.ChatView>> replyTo) implements Command {}

  public record SyncChat(long chatId, ActorRef<StatusReply<ChatSync.ChatProgress>> replyTo) implements Command {}

  private record Update(ObjectNode update) implements Command {}

  /** What an account needs from the node. */
  public record Setup(
      String name, TdDispatcher dispatcher, ObjectNode tdlibParameters, SyncSettings sync, Archive archive) {}

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private Account() {}

  public static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(context -> {
      String name = setup.name();
      ActorRef<Status.Command> status = context.spawn(Status.create(name), "status");
      ActorRef<Command> self = context.getSelf();
      TdClient client = setup.dispatcher().createClient(update -> self.tell(new Update(update)));
      ActorRef<Scheduler.Command> scheduler = context.spawn(
          Scheduler.create(name, setup.sync(), schedulerRef -> new ChatSync.Setup(
              name, setup.sync(), scheduled(context, client, schedulerRef, setup), setup.archive(), schedulerRef,
              status), status),
          "scheduler");
      ScheduledClient telegram = scheduled(context, client, scheduler, setup);
      ActorRef<Contacts.Command> contacts = context.spawn(
          Contacts.create(name, telegram, setup.archive(), status, setup.sync().contactsFullSyncInterval()),
          "contacts");
      ActorRef<Telegram.Command> telegramActor = context.spawn(
          Telegram.create(name, client, telegram, setup.tdlibParameters(),
              new Telegram.Routes(scheduler, contacts, status), setup.archive()),
          "telegram");
      // the client dies with this actor: a new incarnation starts a new one
      context.watch(telegramActor);
      // TDLib wants every client closed before the process exits
      Cancellable closeAtShutdown = CoordinatedShutdown.get(context.getSystem()).addCancellableTask(
          CoordinatedShutdown.PhaseServiceStop(), "close-tdlib-" + name, () -> {
            client.close();
            return client.whenClosed().toCompletableFuture().orTimeout(CLOSE_TIMEOUT.toMillis(), MILLISECONDS)
                .handle((closed, timeout) -> Done.getInstance());
          });
      return Behaviors.receive(Command.class)
          .onMessage(Update.class, update -> {
            // a closed client of an earlier incarnation still reports to this same actor ref
            if (update.update().path("@client_id").asInt() == client.clientId()) {
              telegramActor.tell(new Telegram.Update(update.update()));
            }
            return Behaviors.same();
          })
          .onMessage(GetStatus.class, get -> {
            status.tell(new Status.GetAccountStatus(get.replyTo()));
            return Behaviors.same();
          })
          .onMessage(GetChats.class, get -> {
            status.tell(new Status.GetChats(get.filter(), get.replyTo()));
            return Behaviors.same();
          })
          .onMessage(GetChat.class, get -> {
            status.tell(new Status.GetChat(get.chatId(), get.replyTo()));
            return Behaviors.same();
          })
          .onMessage(SyncChat.class, sync -> {
            scheduler.tell(new Scheduler.SyncChat(sync.chatId(), sync.replyTo()));
            return Behaviors.same();
          })
          .onSignal(Terminated.class, terminated -> {
            if (shuttingDown(context)) {
              return Behaviors.stopped();
            }
            throw new IllegalStateException("account " + name + " lost its TDLib client");
          })
          .onSignal(PreRestart.class, signal -> {
            closeAtShutdown.cancel();
            return closeClient(client);
          })
          .onSignal(PostStop.class, signal -> closeClient(client))
          .build();
    });
  }

  /** The node is stopping: a client closing now is expected, not a fault. */
  static boolean shuttingDown(ActorContext<?> context) {
    return CoordinatedShutdown.get(context.getSystem()).getShutdownReason().isPresent();
  }

  private static ScheduledClient scheduled(
      ActorContext<?> context, TdClient client, ActorRef<Scheduler.Command> scheduler, Setup setup) {
    return new ScheduledClient(client, scheduler, context.getSystem(), setup.sync().requestTimeout());
  }

  private static Behavior<Command> closeClient(TdClient client) {
    client.close().whenComplete((ok, failure) -> client.forget());
    return Behaviors.same();
  }
}
