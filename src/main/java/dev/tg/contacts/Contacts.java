package dev.tg.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.JsonSerializable;
import dev.tg.archive.Archive;
import dev.tg.scheduler.Priority;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.status.Status;
import dev.tg.telegram.TdClient;
import dev.tg.archive.UserRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The account's contact list: a full sync at start and every {@code full-sync-interval} that replaces the
 * {@code contacts} table in one transaction, and live changes from {@code updateUser} in between.
 */
public final class Contacts extends AbstractBehavior<Contacts.Command> {

  public interface Command extends JsonSerializable {}

  /** Fetch the whole list; {@code replyTo} (may be null) hears when it is stored. */
  public record FullSync(ActorRef<Done> replyTo) implements Command {}

  public record UserUpdated(UserRecord user) implements Command {}

  private record Fetched(List<UserRecord> contacts, ActorRef<Done> replyTo) implements Command {}

  private record SyncFailed(Throwable error, ActorRef<Done> replyTo) implements Command {}

  private record Stored(List<UserRecord> contacts, ActorRef<Done> replyTo) implements Command {}

  private static final Duration RETRY_AFTER = Duration.ofSeconds(30);

  private final String account;
  private final ScheduledClient telegram;
  private final Archive archive;
  private final ActorRef<Status.Command> status;
  private final TimerScheduler<Command> timers;
  private final Duration fullSyncInterval;
  private final Set<Long> contactIds = new HashSet<>();
  // live changes heard while a full sync is between its fetch and its store: applied again after the store
  private final List<UserRecord> heardDuringSync = new ArrayList<>();
  private boolean syncing;
  private Instant lastFullSync;

  private Contacts(ActorContext<Command> context, TimerScheduler<Command> timers, String account,
      ScheduledClient telegram, Archive archive, ActorRef<Status.Command> status, Duration fullSyncInterval) {
    super(context);
    this.timers = timers;
    this.account = account;
    this.telegram = telegram;
    this.archive = archive;
    this.status = status;
    this.fullSyncInterval = fullSyncInterval;
  }

  public static Behavior<Command> create(String account, ScheduledClient telegram, Archive archive,
      ActorRef<Status.Command> status, Duration fullSyncInterval) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new Contacts(context, timers, account, telegram, archive, status, fullSyncInterval)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FullSync.class, this::onFullSync)
        .onMessage(Fetched.class, this::onFetched)
        .onMessage(Stored.class, this::onStored)
        .onMessage(SyncFailed.class, this::onSyncFailed)
        .onMessage(UserUpdated.class, this::onUserUpdated)
        .build();
  }

  private Behavior<Command> onFullSync(FullSync sync) {
    syncing = true;
    heardDuringSync.clear();
    getContext().pipeToSelf(fetchContacts(), (contacts, failure) ->
        failure == null ? new Fetched(contacts, sync.replyTo()) : new SyncFailed(failure, sync.replyTo()));
    return this;
  }

  /** getContacts, then each user; TDLib has them cached after getContacts, so getUser costs no request. */
  private CompletionStage<List<UserRecord>> fetchContacts() {
    return telegram.send(0, Priority.P0, TdClient.request("getContacts")).thenCompose(users -> {
      List<CompletableFuture<UserRecord>> fetches = new ArrayList<>();
      for (JsonNode userId : users.path("user_ids")) {
        ObjectNode getUser = TdClient.request("getUser").put("user_id", userId.asLong());
        fetches.add(telegram.sendLocal(getUser).thenApply(UserRecord::of).toCompletableFuture());
      }
      return CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new))
          .thenApply(done -> fetches.stream().map(CompletableFuture::join).toList());
    });
  }

  private Behavior<Command> onFetched(Fetched fetched) {
    getContext().pipeToSelf(archive.write(store -> {
      store.replaceContacts(account, fetched.contacts());
      return fetched.contacts();
    }), (contacts, failure) ->
        failure == null ? new Stored(contacts, fetched.replyTo()) : new SyncFailed(failure, fetched.replyTo()));
    return this;
  }

  private Behavior<Command> onStored(Stored stored) {
    contactIds.clear();
    stored.contacts().forEach(user -> contactIds.add(user.id()));
    syncing = false;
    for (UserRecord user : heardDuringSync) {
      // the fetched list may predate this change; the change wins
      if (user.contact()) {
        contactIds.add(user.id());
      } else {
        contactIds.remove(user.id());
      }
      archive.run(store -> store.saveUser(account, user));
    }
    heardDuringSync.clear();
    lastFullSync = Instant.now();
    getContext().getLog().info("[{}] contact list synced: [{}] contacts", account, contactIds.size());
    status.tell(new Status.ContactsUpdated(contactIds.size(), lastFullSync));
    reply(stored.replyTo());
    timers.startSingleTimer(new FullSync(null), fullSyncInterval);
    return this;
  }

  private Behavior<Command> onSyncFailed(SyncFailed failed) {
    syncing = false;
    heardDuringSync.clear();
    getContext().getLog().warn("[{}] contact sync failed, retrying in [{}]: {}", account, RETRY_AFTER,
        failed.error().getMessage());
    // the start-up sequence goes on without contacts rather than waiting on them
    reply(failed.replyTo());
    timers.startSingleTimer(new FullSync(null), RETRY_AFTER);
    return this;
  }

  private Behavior<Command> onUserUpdated(UserUpdated updated) {
    UserRecord user = updated.user();
    if (syncing) {
      heardDuringSync.add(user);
    }
    boolean changed = user.contact() ? contactIds.add(user.id()) : contactIds.remove(user.id());
    // every user is kept (senders get names in history); a non-contact row is removed, which is idempotent
    archive.run(store -> store.saveUser(account, user));
    if (changed) {
      status.tell(new Status.ContactsUpdated(contactIds.size(), lastFullSync));
    }
    return this;
  }

  private static void reply(ActorRef<Done> replyTo) {
    if (replyTo != null) {
      replyTo.tell(Done.getInstance());
    }
  }
}
