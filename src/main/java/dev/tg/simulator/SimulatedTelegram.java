package dev.tg.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Telegram's servers as one account sees them, plus the controls tests and benchmarks use to make things happen. The
 * world is a deterministic function of (spec, epoch, time): a second instance created later with the same spec and
 * epoch holds every message that arrived in between. Thread-safe: everything runs under this object's lock.
 */
public final class SimulatedTelegram implements AutoCloseable {
  private static final long TICK_MILLIS = 2;
  private static final long DEFAULT_DOWNLOAD_BANDWIDTH = 8L << 20;

  private final WorldSpec spec;
  private final Instant epoch;
  private final Clock clock;
  private final World world;
  private final List<WorldListener> listeners = new CopyOnWriteArrayList<>();
  // every world event, told to every connected simulated TDLib in the order they connected
  private final WorldListener fanOut = (WorldListener) Proxy.newProxyInstance(WorldListener.class.getClassLoader(),
      new Class<?>[] {WorldListener.class}, (proxy, method, arguments) -> {
        if (method.getDeclaringClass() == Object.class) {
          return method.invoke(listeners, arguments);
        }
        for (WorldListener listener : listeners) {
          try {
            method.invoke(listener, arguments);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        }
        return null;
      });
  private final ServerAdmission admission = new ServerAdmission();
  private final List<RequestRecord> requestLog = new ArrayList<>();
  private final SplittableRandom controlRandom;
  private Duration rtt = Duration.ZERO;
  private Instant offlineUntil;
  private ScheduledExecutorService ticker;
  private final RoutineUpdates routineUpdates;
  private boolean searchTotalsUnknown;
  private long downloadBytesPerSecond = DEFAULT_DOWNLOAD_BANDWIDTH;
  private int acceptedSecretChats;

  public SimulatedTelegram(WorldSpec spec, Instant epoch, Clock clock) {
    this.spec = spec;
    this.epoch = epoch;
    this.clock = clock;
    this.world = new World(spec, epoch);
    this.controlRandom = new SplittableRandom(Texts.hash(spec.seed(), 15));
    this.routineUpdates = new RoutineUpdates(spec.seed(), epoch.toEpochMilli());
    touch();
  }

  public WorldSpec spec() {
    return spec;
  }

  public Instant epoch() {
    return epoch;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Stops the background tick and closes the instances' message databases; connected clients stop receiving live
   * traffic until another one connects.
   */
  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
    fanOut.releaseFiles();
  }

  // ---- controls: messages ----

  /** A new incoming text message, announced with updateNewMessage and updateChatLastMessage; returns its id. */
  public synchronized long postMessage(long chatId, String text) {
    WorldChat chat = writableChat(chatId);
    long id = world.append(chat, nowSeconds(), controlRandom, text);
    fanOut.messageAdded(chat, id);
    return id;
  }

  /**
   * Creates {@code count} messages that TDLib skips silently (no updateNewMessage, as for a long gap in a supergroup),
   * then announces only the jump of the chat's last message. Returns the new ids, oldest first.
   */
  public synchronized List<Long> skipUpdates(long chatId, int count) {
    WorldChat chat = writableChat(chatId);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(world.append(chat, nowSeconds(), controlRandom, null));
    }
    fanOut.messagesSkipped(chat);
    return ids;
  }

  /** Edits a message's text or caption: updateMessageContent, then updateMessageEdited. */
  public synchronized void editMessage(long chatId, long messageId, String newText) {
    WorldChat chat = existingChat(chatId);
    int index = liveIndex(chat, messageId);
    if (!world.messages().isEditable(chat, index)) {
      throw new IllegalArgumentException("message " + messageId + " has no text to edit");
    }
    world.edit(chat, index, newText, nowSeconds());
    fanOut.messageEdited(chat, messageId);
  }

  /** The account schedules a text for {@code sendAt}, when it is sent into the history; returns the scheduled id. */
  public synchronized long scheduleMessage(long chatId, String text, Instant sendAt) {
    WorldChat chat = writableChat(chatId);
    if (chat.kind == ChatKind.SECRET || chat.kind == ChatKind.CHANNEL) {
      throw new IllegalArgumentException("the account schedules no messages in chat " + chatId);
    }
    if (!sendAt.isAfter(clock.instant())) {
      throw new IllegalArgumentException("a scheduled message is sent later, not at " + sendAt);
    }
    WorldChat.ScheduledMessage message = world.schedule(chat, text, (int) sendAt.getEpochSecond());
    fanOut.scheduledMessageAdded(chat, message);
    return message.id();
  }

  /** Deletes messages for everyone: updateDeleteMessages with is_permanent true. */
  public synchronized void deleteMessages(long chatId, long... messageIds) {
    WorldChat chat = existingChat(chatId);
    int[] indices = Arrays.stream(messageIds).mapToInt(messageId -> liveIndex(chat, messageId)).toArray();
    long nowMillis = clock.millis();
    Arrays.stream(indices).forEach(index -> chat.history.delete(index, nowMillis));
    fanOut.messagesDeleted(chat, messageIds.clone(), true);
  }

  /** TDLib dropping messages from its memory: updateDeleteMessages with from_cache true; the messages still exist. */
  public synchronized void unloadFromCache(long chatId, long... messageIds) {
    WorldChat chat = existingChat(chatId);
    for (long messageId : messageIds) {
      liveIndex(chat, messageId);
    }
    fanOut.messagesDeleted(chat, messageIds.clone(), false);
  }

  // ---- controls: chats and users ----

  public synchronized void setMemberCount(long chatId, int memberCount) {
    WorldChat chat = existingChat(chatId);
    if (chat.kind != ChatKind.BASIC_GROUP && !chat.kind.isSupergroup()) {
      throw new IllegalArgumentException("only groups and channels have a member count: " + chatId);
    }
    chat.memberCount = memberCount;
    fanOut.chatChanged(chat);
  }

  /** The account loses access unbeknown to TDLib: the next server request answers CHANNEL_PRIVATE, then refusals. */
  public synchronized void makeInaccessible(long chatId) {
    existingChat(chatId).accessible = false;
  }

  /** The chat is deleted: it leaves its list (order 0), stays known, and its history is "Can't access the chat". */
  public synchronized void deleteChat(long chatId) {
    WorldChat chat = existingChat(chatId);
    chat.deleted = true;
    fanOut.membershipChanged(chat);
  }

  /** The account leaves a group or channel: a supergroup or channel leaves its list; no more messages come. */
  public synchronized void leaveChat(long chatId) {
    setMember(chatId, false);
  }

  /** The account joins the group or channel again: its position, history and messages come back. */
  public synchronized void rejoinChat(long chatId) {
    setMember(chatId, true);
  }

  private void setMember(long chatId, boolean member) {
    WorldChat chat = existingChat(chatId);
    if (chat.kind != ChatKind.BASIC_GROUP && !chat.kind.isSupergroup() || chat.foreign || chat.upgradedAway) {
      throw new IllegalArgumentException("the account can't leave or join chat " + chatId);
    }
    chat.member = member;
    fanOut.membershipChanged(chat);
  }

  /** A user asks for a secret chat, which instances with use_secret_chats accept by themselves; returns its id. */
  public synchronized long requestSecretChat(long userId) {
    return world.requestSecretChat(existingUser(userId).id(), clock.millis()).id;
  }

  /** How many times an instance accepted a secret chat by itself. */
  public synchronized int acceptedSecretChats() {
    return acceptedSecretChats;
  }

  /** A new user added to the contacts; returns the user id. */
  public synchronized long addContact(String firstName, String lastName) {
    touch();
    SimUser user = world.addUser(true).withName(firstName, lastName);
    world.putUser(user);
    fanOut.userChanged(user);
    return user.id();
  }

  public synchronized void addContact(long userId) {
    changeUser(existingUser(userId).withContact(true));
  }

  public synchronized void renameUser(long userId, String firstName, String lastName) {
    changeUser(existingUser(userId).withName(firstName, lastName));
  }

  /** A removed contact shows up only as updateUser with is_contact false. */
  public synchronized void removeContact(long userId) {
    changeUser(existingUser(userId).withContact(false));
  }

  /** As UserManager::update_user does on a new name, the titles of the user's private and secret chats follow. */
  private void changeUser(SimUser user) {
    world.putUser(user);
    fanOut.userChanged(user);
    for (WorldChat chat : world.chats()) {
      if ((chat.kind == ChatKind.PRIVATE || chat.kind == ChatKind.SECRET) && chat.partnerUserId == user.id()
          && !chat.title.equals(World.name(user))) {
        chat.title = World.name(user);
        fanOut.titleChanged(chat);
      }
    }
  }

  // ---- controls: network and server behaviour ----

  /**
   * The network goes away for {@code duration}: requests wait, supergroup and channel messages of the outage are not
   * announced (TDLib skips such gaps), the others arrive when the connection is back.
   */
  public synchronized void outage(Duration duration) {
    touch();
    boolean wasOnline = offlineUntil == null;
    offlineUntil = clock.instant().plus(duration);
    if (wasOnline) {
      fanOut.connectionLost();
    }
  }

  /** File downloads of an instance share this bandwidth, in bytes a second. */
  public synchronized void limitDownloads(long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("a bandwidth is positive: " + bytesPerSecond);
    }
    downloadBytesPerSecond = bytesPerSecond;
  }

  synchronized long downloadBytesPerSecond() {
    return downloadBytesPerSecond;
  }

  /** Delays every answer by {@code roundTrip}; answers keep their order per client. */
  public synchronized void setRtt(Duration roundTrip) {
    rtt = roundTrip;
  }

  public synchronized void setFaults(FaultProfile profile) {
    admission.setFaults(profile);
  }

  /** Server-side flood limits over a sliding second; 0 means no limit (the default). */
  public synchronized void setServerLimit(double accountRequestsPerSecond, double perChatRequestsPerSecond) {
    admission.flood().setLimits(accountRequestsPerSecond, perChatRequestsPerSecond);
  }

  /** The flood waits TDLib sits out in all for one request before answering 429 (as TDLib, default 60 s). */
  public synchronized void setTdlibTotalWaitLimit(Duration limit) {
    admission.flood().setTotalWaitLimit(limit);
  }

  /** Routine Updating→Ready about every {@code every} of world time, as the seed draws it; ZERO for never (2 min). */
  public synchronized void setRoutineUpdates(Duration every) {
    routineUpdates.setPeriod(every, clock.millis());
  }

  /** When on, searches without query and filter meet the server's SEARCH_QUERY_EMPTY: empty, total_count 0. */
  public synchronized void setSearchTotalsUnknown(boolean unknown) {
    searchTotalsUnknown = unknown;
  }

  public synchronized List<RequestRecord> requestLog() {
    return List.copyOf(requestLog);
  }

  public synchronized void clearRequestLog() {
    requestLog.clear();
  }

  // ---- ground truth ----

  /** The account's chats: those it is or was in, archived, left, deleted or upgraded ones included. */
  public synchronized List<SimChat> chats() {
    touch();
    return world.chats().stream().filter(chat -> !chat.foreign).map(WorldChat::snapshot).toList();
  }

  /** Chats the account is not in and TDLib still announces: channels messages were forwarded from. */
  public synchronized List<SimChat> foreignChats() {
    touch();
    return world.foreignChats().stream().map(WorldChat::snapshot).toList();
  }

  /**
   * The size in bytes of the message database TDLib keeps in {@code databaseDirectory}, for the test DCs or the
   * production ones; 0 if there is none.
   */
  public synchronized long messageDatabaseBytes(Path databaseDirectory) {
    fanOut.releaseFiles();
    long bytes = 0;
    for (boolean testDc : new boolean[] {false, true}) {
      Path file = MessageDatabase.file(databaseDirectory, testDc);
      try {
        bytes += Files.exists(file) ? Files.size(file) : 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return bytes;
  }

  /** Every message of the chat that exists or existed, as of now. */
  public synchronized SortedMap<Long, SimMessage> groundTruth(long chatId) {
    touch();
    WorldChat chat = world.chat(chatId);
    if (chat == null) {
      throw new IllegalArgumentException("no chat " + chatId);
    }
    MessageFactory messages = world.messages();
    SortedMap<Long, SimMessage> truth = new TreeMap<>();
    for (int i = 0; i < chat.history.size(); i++) {
      ChatHistory.Revision revision = chat.history.revision(i);
      long id = chat.history.messageIdAt(i);
      long deletedAt = chat.history.deletedAtMillis(i);
      truth.put(id, new SimMessage(id, chatId, chat.history.dateAt(i), revision == null ? 0 : revision.editDate(),
          messages.contentType(chat, i), messages.text(chat, i), messages.message(chat, i).toString(),
          revision == null ? List.of() : revision.previousTexts(), revision == null ? List.of() : revision.editDates(),
          chat.history.isDeleted(i), deletedAt == 0 ? null : Instant.ofEpochMilli(deletedAt)));
    }
    return Collections.unmodifiableSortedMap(truth);
  }

  /** Messages that exist now, over all chats. */
  public synchronized long messageCount() {
    touch();
    return world.chats().stream().mapToLong(chat -> chat.history.liveCount()).sum();
  }

  public synchronized List<Long> contactIds() {
    touch();
    return world.users().stream().filter(SimUser::contact).map(SimUser::id).toList();
  }

  public synchronized int contactCount() {
    return contactIds().size();
  }

  public synchronized SimUser user(long userId) {
    return existingUser(userId);
  }

  public long myUserId() {
    return World.ME_ID;
  }

  // ---- for the simulated TDLib ----

  World world() {
    return world;
  }

  /** Applies the world's live traffic up to now, ends an outage that is over and runs a routine update that is due. */
  synchronized void touch() {
    Instant now = clock.instant();
    if (offlineUntil != null && !now.isBefore(offlineUntil)) {
      world.advanceTo(offlineUntil, fanOut);
      offlineUntil = null;
      fanOut.connectionRestored();
    }
    world.advanceTo(now, fanOut);
    if (routineUpdates.due(now.toEpochMilli())) {
      fanOut.routineUpdate();
    }
  }

  /** How many routine Updating→Ready the world has sent so far. */
  public synchronized long routineUpdatesSent() {
    return routineUpdates.sent();
  }

  synchronized boolean searchTotalsUnknown() {
    return searchTotalsUnknown;
  }

  /** An instance accepted a requested secret chat. */
  synchronized void secretChatAccepted(WorldChat chat) {
    world.addAcceptedSecretChat(chat);
    acceptedSecretChats++;
  }

  synchronized boolean isOffline() {
    return offlineUntil != null;
  }

  synchronized Duration rtt() {
    return rtt;
  }

  synchronized ServerAdmission.Admission admit(long chatId) {
    return admission.admit(clock.millis(), chatId);
  }

  synchronized boolean tdlibWaits(int totalFloodWaitSeconds) {
    return admission.flood().tdlibWaits(totalFloodWaitSeconds);
  }

  /** Records a request; returns its index for {@link #recordOutcome}. */
  synchronized int recordRequest(RequestRecord record) {
    requestLog.add(record);
    return requestLog.size() - 1;
  }

  synchronized void recordOutcome(int index, RequestRecord record, String outcome) {
    // the log may have been cleared since the request arrived
    if (index < requestLog.size() && requestLog.get(index) == record) {
      requestLog.set(index, record.withOutcome(outcome));
    }
  }

  synchronized void register(WorldListener listener) {
    listeners.add(listener);
    if (ticker == null) {
      ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "simulated-telegram-tick");
        thread.setDaemon(true);
        return thread;
      });
      ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  synchronized void unregister(WorldListener listener) {
    listeners.remove(listener);
    if (listeners.isEmpty()) {
      close();
    }
  }

  private synchronized void tick() {
    touch();
    fanOut.tick(clock.instant());
  }

  private int nowSeconds() {
    return (int) clock.instant().getEpochSecond();
  }

  private WorldChat existingChat(long chatId) {
    touch();
    WorldChat chat = world.chat(chatId);
    if (chat == null || chat.deleted) {
      throw new IllegalArgumentException("no chat " + chatId);
    }
    return chat;
  }

  private WorldChat writableChat(long chatId) {
    WorldChat chat = existingChat(chatId);
    if (!chat.receivesMessages()) {
      throw new IllegalArgumentException("the account can't see new messages in chat " + chatId);
    }
    return chat;
  }

  private int liveIndex(WorldChat chat, long messageId) {
    int index = chat.history.indexOf(messageId);
    if (index < 0 || chat.history.isDeleted(index)) {
      throw new IllegalArgumentException("no message " + messageId + " in chat " + chat.id);
    }
    return index;
  }

  private SimUser existingUser(long userId) {
    touch();
    SimUser user = world.user(userId);
    if (user == null) {
      throw new IllegalArgumentException("no user " + userId);
    }
    return user;
  }
}
