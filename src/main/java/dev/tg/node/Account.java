package dev.tg.node;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.JsonSerializable;
import dev.tg.archive.Archive;
import dev.tg.archive.Storage;
import dev.tg.archive.ArchiveReader;
import dev.tg.chat.Audits;
import dev.tg.chat.ChatSync;
import dev.tg.chat.Chats;
import dev.tg.config.MediaSettings;
import dev.tg.config.SyncSettings;
import dev.tg.contacts.Contacts;
import dev.tg.media.Media;
import dev.tg.scheduler.Priority;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.scheduler.Scheduler;
import dev.tg.status.ChatProgress;
import dev.tg.status.Status;
import dev.tg.status.SyncStatus.AccountStatus;
import dev.tg.status.SyncStatus.StorageStatus;
import dev.tg.telegram.TdChat;
import dev.tg.telegram.TdClient;
import dev.tg.telegram.TdDispatcher;
import dev.tg.telegram.TdException;
import dev.tg.telegram.Telegram;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/**
 * One account's subtree (telegram, scheduler, chats, contacts, media, status), addressed only by its name so that it can
 * become a Cluster Sharding entity. It runs the start-up sequence (contacts, then the chat list, then the chats) and
 * routes TDLib's updates to the actors below. A fault inside it restarts the whole subtree with a new client.
 */
public final class Account extends AbstractBehavior<Account.Command> {

  public interface Command extends JsonSerializable {}

  public record GetStatus(ActorRef<AccountStatus> replyTo) implements Command {}

  public record GetChats(Status.ChatFilter filter, ActorRef<Status.ChatList> replyTo) implements Command {}

  public record GetChat(long chatId, ActorRef<Status.FoundChat> replyTo) implements Command {}

  public record SyncChat(long chatId, ActorRef<StatusReply<ChatProgress>> replyTo) implements Command {}

  /** Every file of the chat, whatever the media policy (tg sync --media). */
  public record FetchChatMedia(long chatId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** The node's storage changed or was measured again: history pauses or goes on. */
  public record StorageChanged(Storage.Condition condition) implements Command {}
  public record AuditChat(long chatId, int maxRequests, ActorRef<Audits.FoundAudit> replyTo) implements Command {}

  public record GetAudit(long chatId, ActorRef<Audits.FoundAudit> replyTo) implements Command {}

  /**
   * Closes the TDLib client and stops once TDLib has closed it: how Cluster Sharding hands the account over to
   * another node, which may open the session only after this one has let it go.
   */
  public enum Stop implements Command {
    INSTANCE
  }

  private enum ClientClosed implements Command {
    INSTANCE
  }

  private record Update(ObjectNode update) implements Command {}

  private record FromTelegram(Telegram.Event event) implements Command {}

  private record ContactsSynced() implements Command {}

  private record KnownChats(Set<Long> chatIds) implements Command {}

  private record ChatListPage(String list, boolean complete, Throwable failure) implements Command {}

  private record UpgradeFound(Chats.PredecessorFound found) implements Command {}

  record ChatResolved(TdChat chat, UpdateRouter.Membership membership) implements Command {}

  /** A content update waited long enough for an edit date: none came. */
  private enum FlushContent implements Command {
    INSTANCE
  }

  /** What an account needs from the node. */
  public record Setup(
      String name, TdDispatcher dispatcher, ObjectNode tdlibParameters, SyncSettings sync, Archive archive,
      ArchiveReader reader, MediaSettings media, Path mediaDir) {}

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RETRY_CHAT_LIST = Duration.ofSeconds(5);
  // the main list and the archive hold every chat of the user's; folders are subsets of them
  private static final List<String> CHAT_LISTS = List.of("chatListMain", "chatListArchive");
  // TDLib sends an edit's date right after its content; a content update alone is applied after this wait
  private static final Duration CONTENT_WAIT = Duration.ofMillis(100);

  private final String name;
  private final TdClient client;
  private final ScheduledClient telegram;
  private final ActorRef<Status.Command> status;
  private final ActorRef<Scheduler.Command> scheduler;
  private final ActorRef<Chats.Command> chats;
  private final ActorRef<Contacts.Command> contacts;
  private final ActorRef<Telegram.Command> telegramActor;
  private final ActorRef<Audits.Command> audits;
  private final ActorRef<Media.Command> media;
  private final UpdateRouter router;
  private final Cancellable closeAtShutdown;
  private boolean startupBegun;
  private boolean storagePaused;

  private Account(ActorContext<Command> context, Setup setup) {
    super(context);
    this.name = setup.name();
    ActorRef<Command> self = context.getSelf();
    this.client = setup.dispatcher().createClient(name, update -> self.tell(new Update(update)));
    this.status = context.spawn(Status.create(name), "status");
    ActorRef<Status.Command> statusRef = status;
    this.scheduler = context.spawn(Scheduler.create(name, setup.sync(),
        rates -> statusRef.tell(new Status.RatesUpdated(rates))), "scheduler");
    this.telegram = new ScheduledClient(client, scheduler, context.getSystem(), setup.sync().requestTimeout());
    this.chats = context.spawn(Chats.create(name, parent -> new ChatSync.Setup(
        name, setup.sync(), telegram, setup.archive(), parent, statusRef), scheduler,
        context.messageAdapter(Chats.PredecessorFound.class, UpgradeFound::new)), "chats");
    this.contacts = context.spawn(
        Contacts.create(name, telegram, setup.archive(), status, setup.sync().contactsFullSyncInterval()),
        "contacts");
    this.telegramActor = context.spawn(Telegram.create(name, client, setup.tdlibParameters(),
        context.messageAdapter(Telegram.Event.class, FromTelegram::new)), "telegram");
    onStorageChanged(new StorageChanged(setup.archive().storage().condition()));
    this.audits = context.spawn(Audits.create(name, telegram, setup.reader(), status), "audits");
    this.media = context.spawn(Media.create(new Media.Setup(name, setup.media(), telegram, setup.archive(),
        setup.mediaDir(), status, context.getSystem().dispatchers().lookup(DispatcherSelector.blocking()))), "media");
    this.router = new UpdateRouter(name, context, telegram, setup.archive(), chats, contacts, status,
        setup.sync().catchUpAfterOffline());
    // the client dies with this actor: a new incarnation starts a new one
    context.watch(telegramActor);
    // TDLib wants every client closed before the process exits
    this.closeAtShutdown = CoordinatedShutdown.get(context.getSystem()).addCancellableTask(
        CoordinatedShutdown.PhaseServiceStop(), "close-tdlib-" + name, this::closeAndWait);
  }

  public static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(context -> new Account(context, setup));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Update.class, this::onUpdate)
        .onMessage(FromTelegram.class, this::onTelegramEvent)
        .onMessage(ContactsSynced.class, synced -> loadChatList())
        .onMessage(KnownChats.class, this::onKnownChats)
        .onMessage(ChatListPage.class, this::onChatListPage)
        .onMessageEquals(FlushContent.INSTANCE, () -> {
          router.flushContent();
          return this;
        })
        .onMessage(UpgradeFound.class, upgrade -> {
          router.adoptPredecessor(upgrade.found().basicGroupId(), upgrade.found().successorChatId());
          return this;
        })
        .onMessage(ChatResolved.class, resolved -> {
          router.onChatResolved(resolved.chat(), resolved.membership());
          return this;
        })
        .onMessage(GetStatus.class, get -> {
          status.tell(new Status.GetAccountStatus(get.replyTo()));
          return this;
        })
        .onMessage(GetChats.class, get -> {
          status.tell(new Status.GetChats(get.filter(), get.replyTo()));
          return this;
        })
        .onMessage(GetChat.class, get -> {
          status.tell(new Status.GetChat(get.chatId(), get.replyTo()));
          return this;
        })
        .onMessage(StorageChanged.class, this::onStorageChanged)
        .onMessage(SyncChat.class, sync -> {
          chats.tell(new Chats.SyncChat(sync.chatId(), sync.replyTo()));
          return this;
        })
        .onMessage(FetchChatMedia.class, fetch -> {
          media.tell(new Media.FetchChat(fetch.chatId(), fetch.replyTo()));
          return this;
        })
        .onMessage(AuditChat.class, audit -> {
          audits.tell(new Audits.Start(audit.chatId(), audit.maxRequests(), audit.replyTo()));
          return this;
        })
        .onMessage(GetAudit.class, get -> {
          audits.tell(new Audits.Get(get.chatId(), get.replyTo()));
          return this;
        })
        .onMessageEquals(Stop.INSTANCE, () -> {
          closeAtShutdown.cancel();
          getContext().pipeToSelf(closeAndWait(), (done, failure) -> ClientClosed.INSTANCE);
          return this;
        })
        .onMessageEquals(ClientClosed.INSTANCE, Behaviors::stopped)
        .onSignal(Terminated.class, terminated -> {
          if (shuttingDown(getContext())) {
            return Behaviors.stopped();
          }
          throw new IllegalStateException("account " + name + " lost its TDLib client");
        })
        .onSignal(PreRestart.class, signal -> {
          closeAtShutdown.cancel();
          return closeClient();
        })
        .onSignal(PostStop.class, signal -> {
          closeAtShutdown.cancel(); // stopped before the node (its lease lost): no client left for the node to wait on
          return closeClient();
        })
        .build();
  }

  private Behavior<Command> onUpdate(Update update) {
    ObjectNode object = update.update();
    // a closed client of an earlier incarnation still reports to this same actor ref
    if (object.path("@client_id").asInt() != client.clientId()) {
      return this;
    }
    if (object.path("@type").asText().equals("updateAuthorizationState")) {
      telegramActor.tell(new Telegram.AuthorizationChanged(
          object.path("authorization_state").path("@type").asText()));
    } else {
      boolean held = router.holdsContent();
      router.route(object);
      if (!held && router.holdsContent()) {
        getContext().scheduleOnce(CONTENT_WAIT, getContext().getSelf(), FlushContent.INSTANCE);
      }
    }
    return this;
  }

  private Behavior<Command> onTelegramEvent(FromTelegram fromTelegram) {
    if (fromTelegram.event() instanceof Telegram.NotLoggedIn notLoggedIn) {
      status.tell(new Status.ProblemReported(notLoggedIn.problem()));
    } else if (!startupBegun) {
      startupBegun = true;
      getContext().getLog().info("[{}] logged in: syncing contacts, then the chat list", name);
      getContext().ask(Done.class, contacts, Duration.ofHours(1), Contacts.FullSync::new,
          (done, failure) -> new ContactsSynced());
    }
    return this;
  }

  private Behavior<Command> loadChatList() {
    getContext().ask(Chats.KnownChats.class, chats, Duration.ofMinutes(1), Chats.GetKnownChats::new,
        (known, failure) -> new KnownChats(known == null ? Set.of() : known.chatIds()));
    return this;
  }

  private Behavior<Command> onKnownChats(KnownChats known) {
    router.chatsWithJournal(known.chatIds());
    requestChatListPage(CHAT_LISTS.get(0));
    return this;
  }

  private Behavior<Command> onStorageChanged(StorageChanged changed) {
    Storage.Condition condition = changed.condition();
    status.tell(new Status.StorageChanged(new StorageStatus(condition.state().label(), condition.paused(),
        condition.problem(), condition.freeBytes() < 0 ? null : condition.freeBytes(), condition.minFreeBytes(),
        condition.since(), condition.checkedAt())));
    if (storagePaused && !condition.paused()) {
      chats.tell(new Chats.ToAllChats(ChatSync.StorageResumed.INSTANCE));
    }
    storagePaused = condition.paused();
    return this;
  }

  /** {@code loadChats} until TDLib answers 404: then every chat of the list is announced. */
  private void requestChatListPage(String list) {
    ObjectNode loadChats = TdClient.request("loadChats").put("limit", 100);
    loadChats.putObject("chat_list").put("@type", list);
    getContext().pipeToSelf(telegram.send(0, Priority.P0, loadChats), (ok, failure) ->
        failure == null ? new ChatListPage(list, false, null)
            : TdException.unwrap(failure) instanceof TdException.NotFound ? new ChatListPage(list, true, null)
            : new ChatListPage(list, false, TdException.unwrap(failure)));
  }

  private Behavior<Command> onChatListPage(ChatListPage page) {
    if (page.failure() != null) {
      getContext().getLog().warn("[{}] loading the chat list failed, retrying: {}", name,
          page.failure().getMessage());
      getContext().scheduleOnce(RETRY_CHAT_LIST, getContext().getSelf(), new ContactsSynced());
      return this;
    }
    int next = CHAT_LISTS.indexOf(page.list()) + 1;
    if (!page.complete()) {
      requestChatListPage(page.list());
    } else if (next < CHAT_LISTS.size()) {
      requestChatListPage(CHAT_LISTS.get(next));
    } else {
      Set<Long> members = router.members();
      getContext().getLog().info("[{}] chat lists loaded: [{}] chats", name, members.size());
      chats.tell(new Chats.Start(members));
      media.tell(Media.Start.INSTANCE);
    }
    return this;
  }

  /** The node is stopping: a client closing now is expected, not a fault. */
  static boolean shuttingDown(ActorContext<?> context) {
    return CoordinatedShutdown.get(context.getSystem()).getShutdownReason().isPresent();
  }

  /** Done once TDLib has closed the client, or after {@link #CLOSE_TIMEOUT} if it does not say so. */
  private CompletableFuture<Done> closeAndWait() {
    client.close();
    return client.whenClosed().toCompletableFuture().orTimeout(CLOSE_TIMEOUT.toMillis(), MILLISECONDS)
        .handle((closed, timeout) -> Done.getInstance());
  }

  private Behavior<Command> closeClient() {
    client.close().whenComplete((ok, failure) -> client.forget());
    return this;
  }
}
