package dev.tg.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The server side of one account: users, chats and their histories. History before the epoch is generated from the
 * seed; live traffic after it happens at times drawn from the seed and is applied lazily by {@link #advanceTo}.
 * Not thread-safe: {@link SimulatedTelegram} guards it.
 */
final class World implements MessageFactory.Context {
  static final long ME_ID = 6_000_000_000L;
  private static final long USER_BASE = 6_000_001_000L;
  private static final long BASIC_GROUP_BASE = 900_000_000L;
  private static final long SUPERGROUP_BASE = 1_700_000_000L;
  private static final long SECRET_CHAT_BASE = 10_000L;
  /** Archived basic groups and foreign channels are numbered apart, so the other chats keep their ids. */
  private static final long OUTSIDE_MAIN_LIST_OFFSET = 100_000_000L;
  private static final int MEMBER_POOL_EXTRA = 200;
  private static final int LIVE_EDIT_WINDOW = 50;
  /** SecretChatsManager::on_update_chat processes an incoming secret chat request 2 seconds after it arrives. */
  private static final long SECRET_CHAT_ACCEPT_DELAY_MILLIS = 2_000;
  private static final int LINK_PREVIEW_MIN_DELAY_MILLIS = 1_500;
  private static final int LINK_PREVIEW_DELAY_SPREAD_MILLIS = 3_000;

  /** Where a generated chat goes: the main list, the archive, or nowhere (a chat the account is not in). */
  private enum Placement {
    MAIN,
    ARCHIVE,
    FOREIGN
  }

  /** Something due at a time; equal times keep the order they were planned in. */
  private record Timed(long atMillis, long sequence, Consumer<WorldListener> action) {}

  private final WorldSpec spec;
  private final long seed;
  private final Instant epoch;
  private final Map<Long, SimUser> users = new LinkedHashMap<>();
  private final long[] memberPool;
  private final Map<Long, WorldChat> chats = new LinkedHashMap<>();
  private final List<WorldChat> liveTargets = new ArrayList<>();
  private final List<WorldChat> foreignChats = new ArrayList<>();
  private final PriorityQueue<Timed> timed =
      new PriorityQueue<>(Comparator.comparingLong(Timed::atMillis).thenComparingLong(Timed::sequence));
  private long timedSequence;
  private long requestedSecretChats;
  private final MessageFactory messages = new MessageFactory(this);
  private final int accountSequenceGap;
  private long nextUserIndex;
  private long nextLiveEvent;
  private long nextLiveEventMillis;

  World(WorldSpec spec, Instant epoch) {
    this.spec = spec;
    this.seed = spec.seed();
    this.epoch = epoch;
    users.put(ME_ID, new SimUser(ME_ID, "Demo", "Account", "demo_account", "15550000000", false, false));
    List<Long> partners = new ArrayList<>();
    for (int i = 0; i < spec.directChats(); i++) {
      partners.add(newUser(i < spec.contacts()).id());
    }
    for (int i = spec.directChats(); i < spec.contacts(); i++) {
      newUser(true);
    }
    for (int i = 0; i < MEMBER_POOL_EXTRA; i++) {
      newUser(false);
    }
    memberPool = users.keySet().stream().filter(id -> id != ME_ID).mapToLong(Long::longValue).toArray();
    accountSequenceGap = 2 * (spec.directChats() + spec.secretChats() + spec.smallGroups() + 1);
    generateChats(partners);
    generateChatsOutsideTheMainList();
    nextLiveEventMillis = spec.liveMessagesPerSecond() > 0 ? epoch.toEpochMilli() + liveGapMillis(0) : Long.MAX_VALUE;
  }

  // ---- generation ----

  private SimUser newUser(boolean contact) {
    long index = nextUserIndex++;
    long hash = Texts.hash(seed, 11, index);
    long id = USER_BASE + index * 16 + Texts.pick(hash, 16);
    String first = Texts.firstName(hash);
    String username = Texts.pick(hash >>> 40, 5) < 3 ? "user" + Long.toString(id % 1_000_000, 36) : null;
    String phone = contact ? "1555" + (1_000_000 + Texts.pick(hash >>> 8, 9_000_000)) : "";
    SimUser user = new SimUser(id, first, Texts.lastName(hash), username, phone, contact,
        contact && Texts.pick(hash >>> 50, 3) != 0);
    users.put(id, user);
    return user;
  }

  private void generateChats(List<Long> partners) {
    SplittableRandom random = new SplittableRandom(Texts.hash(seed, 12));
    for (long partner : partners) {
      SimUser user = users.get(partner);
      addChat(random, ChatKind.PRIVATE, partner, partner, partner, name(user), 2, false, spec.personalHistory(),
          0, false, Placement.MAIN, span(random));
    }
    for (int i = 0; i < spec.secretChats(); i++) {
      long partner = partners.get(i % partners.size());
      long secretId = SECRET_CHAT_BASE + i;
      addChat(random, ChatKind.SECRET, secretChatId(secretId), secretId, partner, name(users.get(partner)), 2,
          false, spec.personalHistory(), 0, false, Placement.MAIN, span(random));
    }
    long basicGroupId = BASIC_GROUP_BASE;
    long supergroupId = SUPERGROUP_BASE;
    for (int i = 0; i < spec.smallGroups(); i++) {
      basicGroupId += 1 + random.nextInt(1000);
      addChat(random, ChatKind.BASIC_GROUP, -basicGroupId, basicGroupId, 0, Texts.title(random.nextLong()),
          3 + random.nextInt(17), false, spec.personalHistory(), 0, false, Placement.MAIN, span(random));
    }
    for (int i = 0; i < spec.mediumGroups(); i++) {
      supergroupId += 1 + random.nextInt(1000);
      addChat(random, ChatKind.SUPERGROUP, supergroupChatId(supergroupId), supergroupId, 0,
          Texts.title(random.nextLong()), 20 + random.nextInt(81), false, spec.personalHistory(), 0, false,
          Placement.MAIN, span(random));
    }
    for (int i = 0; i < spec.largeGroups() + spec.channels(); i++) {
      boolean channel = i >= spec.largeGroups();
      supergroupId += 1 + random.nextInt(1000);
      int members = (int) Math.round(Math.exp(Math.log(101) + random.nextDouble() * Math.log(250_000 / 101.0)));
      // the first large chat always hides its count, so every world exercises getSupergroupFullInfo
      boolean hidden = i == 0 || random.nextInt(2) == 0;
      addChat(random, channel ? ChatKind.CHANNEL : ChatKind.SUPERGROUP, supergroupChatId(supergroupId), supergroupId,
          0, Texts.title(random.nextLong()), members, hidden, spec.crowdHistory(), 0, false, Placement.MAIN,
          span(random));
    }
    if (spec.upgradedGroup()) {
      basicGroupId += 1 + random.nextInt(1000);
      supergroupId += 1 + random.nextInt(1000);
      String title = Texts.title(random.nextLong());
      long oldChatId = -basicGroupId;
      long newChatId = supergroupChatId(supergroupId);
      Span span = span(random);
      long upgradedAt = (span.start + span.end) / 2;
      addChat(random, ChatKind.BASIC_GROUP, oldChatId, basicGroupId, 0, title, 12 + random.nextInt(8), false,
          spec.personalHistory(), newChatId, true, Placement.MAIN, new Span(span.start, upgradedAt));
      addChat(random, ChatKind.SUPERGROUP, newChatId, supergroupId, 0, title, 20 + random.nextInt(81), false,
          spec.personalHistory(), oldChatId, false, Placement.MAIN, new Span(upgradedAt, span.end));
    }
  }

  /** Archived chats (private chats with non-contacts, small groups) and foreign channels, from their own seed. */
  private void generateChatsOutsideTheMainList() {
    SplittableRandom random = new SplittableRandom(Texts.hash(seed, 17));
    long basicGroupId = BASIC_GROUP_BASE + OUTSIDE_MAIN_LIST_OFFSET;
    for (int i = 0; i < spec.archivedChats(); i++) {
      if (i % 2 == 0) {
        SimUser user = newUser(false);
        addChat(random, ChatKind.PRIVATE, user.id(), user.id(), user.id(), name(user), 2, false,
            spec.personalHistory(), 0, false, Placement.ARCHIVE, span(random));
      } else {
        basicGroupId += 1 + random.nextInt(1000);
        addChat(random, ChatKind.BASIC_GROUP, -basicGroupId, basicGroupId, 0, Texts.title(random.nextLong()),
            3 + random.nextInt(17), false, spec.personalHistory(), 0, false, Placement.ARCHIVE, span(random));
      }
    }
    long supergroupId = SUPERGROUP_BASE + OUTSIDE_MAIN_LIST_OFFSET;
    for (int i = 0; i < spec.foreignChats(); i++) {
      supergroupId += 1 + random.nextInt(1000);
      addChat(random, ChatKind.CHANNEL, supergroupChatId(supergroupId), supergroupId, 0,
          Texts.title(random.nextLong()), 1_000 + random.nextInt(100_000), false, spec.personalHistory(), 0, false,
          Placement.FOREIGN, span(random));
    }
  }

  static long supergroupChatId(long supergroupId) {
    return -1_000_000_000_000L - supergroupId;
  }

  static long secretChatId(long secretChatId) {
    return -2_000_000_000_000L + secretChatId;
  }

  static String name(SimUser user) {
    return user.lastName().isEmpty() ? user.firstName() : user.firstName() + " " + user.lastName();
  }

  /** The seconds a chat's history before the epoch spans. */
  private record Span(long start, long end) {}

  private Span span(SplittableRandom random) {
    long end = epoch.getEpochSecond() - 60 - random.nextInt(3 * 86_400);
    return new Span(end - 86_400L * (30 + random.nextInt(1_500)), end);
  }

  private void addChat(
      SplittableRandom random, ChatKind kind, long chatId, long entityId, long partner, String title, int members,
      boolean hidden, WorldSpec.HistoryLength length, long linkedChatId, boolean upgradedAway, Placement placement,
      Span span) {
    WorldChat chat = new WorldChat(chatId, kind, entityId, partner, random.nextInt(memberPool.length), hidden,
        linkedChatId, upgradedAway, placement == Placement.ARCHIVE, placement == Placement.FOREIGN, (int) span.start,
        title, members);
    int count = length.sample(random);
    int serverId = kind.usesAccountSequence() ? random.nextInt(500_000) : random.nextInt(3);
    double step = (double) (span.end - span.start) / count;
    for (int i = 0; i < count; i++) {
      serverId += serverIdGap(kind, random);
      int date = (int) (span.start + (long) (i * step + random.nextDouble() * step));
      chat.history.append(serverId, Math.max(date, chat.history.lastDate()));
    }
    chats.put(chatId, chat);
    if (placement == Placement.FOREIGN) {
      foreignChats.add(chat);
    } else if (!upgradedAway) {
      liveTargets.add(chat);
    }
  }

  private int serverIdGap(ChatKind kind, SplittableRandom random) {
    if (kind.usesAccountSequence()) {
      return 1 + random.nextInt(accountSequenceGap);
    }
    return random.nextInt(100) < 85 ? 1 : 2 + random.nextInt(5);
  }

  // ---- live traffic ----

  /** Applies every live event and everything planned that is due up to {@code now}, in time order. */
  void advanceTo(Instant now, WorldListener listener) {
    long nowMillis = now.toEpochMilli();
    while (true) {
      Timed next = timed.peek();
      if (next != null && next.atMillis() <= nowMillis && next.atMillis() <= nextLiveEventMillis) {
        timed.poll().action().accept(listener);
      } else if (nextLiveEventMillis <= nowMillis) {
        applyLiveEvent(nextLiveEvent, nextLiveEventMillis, listener);
        nextLiveEvent++;
        nextLiveEventMillis += liveGapMillis(nextLiveEvent);
      } else {
        return;
      }
    }
  }

  private void at(long atMillis, Consumer<WorldListener> action) {
    timed.add(new Timed(atMillis, timedSequence++, action));
  }

  /** Exponential gaps: live messages form a Poisson process at the spec's rate. */
  private long liveGapMillis(long event) {
    double uniform = (Texts.hash(seed, 13, event) >>> 11) * 0x1.0p-53;
    return Math.max(1, Math.round(-Math.log1p(-uniform) * 1000 / spec.liveMessagesPerSecond()));
  }

  private void applyLiveEvent(long event, long atMillis, WorldListener listener) {
    SplittableRandom random = new SplittableRandom(Texts.hash(seed, 14, event));
    WorldChat chat = liveTargets.get(random.nextInt(liveTargets.size()));
    // what the account can no longer see does not happen in its world
    if (!chat.receivesMessages()) {
      return;
    }
    int date = (int) (atMillis / 1000);
    double roll = random.nextDouble();
    if (roll >= spec.editFraction() + spec.deleteFraction() || chat.history.size() == 0) {
      listener.messageAdded(chat, append(chat, date, random, null));
      return;
    }
    ChatHistory history = chat.history;
    int index = history.size() - 1 - random.nextInt(Math.min(history.size(), LIVE_EDIT_WINDOW));
    if (history.isDeleted(index)) {
      return;
    }
    if (roll < spec.editFraction()) {
      if (messages.isEditable(chat, index)) {
        int version = editVersions(chat, index) + 1;
        edit(chat, index, messages.editedText(chat, index, version), date);
        listener.messageEdited(chat, history.messageIdAt(index));
      }
    } else {
      history.delete(index, atMillis);
      listener.messagesDeleted(chat, new long[] {history.messageIdAt(index)}, true);
    }
  }

  // ---- mutations ----

  /** Appends a message; {@code text} null means content generated from the seed, else a plain text message. */
  long append(WorldChat chat, int date, SplittableRandom random, String text) {
    return append(chat, date, random, text, ChatHistory.Source.POSTED);
  }

  /**
   * Appends a message; a text with a link gets its preview a little later, as WebPagesManager::on_web_page_changed
   * brings it once the server has fetched the page.
   */
  private long append(WorldChat chat, int date, SplittableRandom random, String text, ChatHistory.Source source) {
    ChatHistory history = chat.history;
    history.append(history.lastServerId() + serverIdGap(chat.kind, random), Math.max(date, history.lastDate()));
    int index = history.size() - 1;
    if (text != null) {
      history.setRevision(index, ChatHistory.Revision.of(text, source));
    }
    long messageId = history.messageIdAt(index);
    if (messages.hasLinkPreview(chat, index)) {
      history.setPreviewPending(index, true);
      long delay = LINK_PREVIEW_MIN_DELAY_MILLIS
          + Texts.pick(Texts.hash(seed, 18, chat.id, messageId), LINK_PREVIEW_DELAY_SPREAD_MILLIS);
      at(history.dateAt(index) * 1000L + delay, listener -> {
        history.setPreviewPending(index, false);
        if (!history.isDeleted(index)) {
          listener.messageContentChanged(chat, messageId);
        }
      });
    }
    return messageId;
  }

  /**
   * Plans a message the account scheduled; its id is built as MessageId(ScheduledServerMessageId, send_date) builds
   * it: the send date above 2^30 in the high bits, the scheduled server id, then SCHEDULED_MASK.
   */
  WorldChat.ScheduledMessage schedule(WorldChat chat, String text, int sendDate) {
    int serverId = chat.nextScheduledServerId();
    long id = ((long) (sendDate - (1 << 30)) << 21) | ((long) serverId << 3) | 4;
    WorldChat.ScheduledMessage message = new WorldChat.ScheduledMessage(id, serverId, text, sendDate);
    chat.scheduled.put(id, message);
    at(sendDate * 1000L, listener -> {
      chat.scheduled.remove(id);
      long sentId = chat.receivesMessages()
          ? append(chat, sendDate, new SplittableRandom(Texts.hash(seed, 19, id)), text, ChatHistory.Source.SENT_BY_ME)
          : 0;
      listener.scheduledMessageSent(chat, id, sentId);
    });
    return message;
  }

  /** A user asks for a secret chat; TDLib instances hear of it a moment later and may accept it. */
  WorldChat requestSecretChat(long partnerUserId, long nowMillis) {
    long secretId = SECRET_CHAT_BASE + spec.secretChats() + requestedSecretChats++;
    WorldChat chat = new WorldChat(secretChatId(secretId), ChatKind.SECRET, secretId, partnerUserId, 0, false, 0,
        false, false, false, (int) (nowMillis / 1000), name(users.get(partnerUserId)), 2);
    at(nowMillis + SECRET_CHAT_ACCEPT_DELAY_MILLIS, listener -> listener.secretChatRequested(chat));
    return chat;
  }

  /** An instance accepted the requested secret chat: from now on it is one of the account's chats. */
  void addAcceptedSecretChat(WorldChat chat) {
    chats.putIfAbsent(chat.id, chat);
  }

  void edit(WorldChat chat, int index, String newText, int date) {
    ChatHistory.Revision revision = chat.history.revision(index);
    if (revision == null) {
      revision = ChatHistory.Revision.of(messages.text(chat, index), ChatHistory.Source.GENERATED);
    }
    chat.history.setRevision(index, revision.edited(newText, date));
  }

  private int editVersions(WorldChat chat, int index) {
    ChatHistory.Revision revision = chat.history.revision(index);
    return revision == null ? 0 : revision.previousTexts().size();
  }

  SimUser addUser(boolean contact) {
    return newUser(contact);
  }

  void putUser(SimUser user) {
    users.put(user.id(), user);
  }

  // ---- queries ----

  MessageFactory messages() {
    return messages;
  }

  Collection<WorldChat> chats() {
    return chats.values();
  }

  SimUser user(long userId) {
    return users.get(userId);
  }

  Collection<SimUser> users() {
    return users.values();
  }

  @Override
  public WorldChat chat(long chatId) {
    return chats.get(chatId);
  }

  @Override
  public List<WorldChat> foreignChats() {
    return foreignChats;
  }

  @Override
  public long seed() {
    return seed;
  }

  @Override
  public long meId() {
    return ME_ID;
  }

  @Override
  public long memberAt(int poolIndex) {
    return memberPool[poolIndex];
  }

  @Override
  public int memberPoolSize() {
    return memberPool.length;
  }
}
