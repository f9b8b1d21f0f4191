package dev.tg.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the forward cursor may go: the pure arithmetic behind invariant 1 ("a cursor never passes an unstored
 * message"). Runtime only, rebuilt (untrusted) on recovery, because a restart is itself a possible gap.
 *
 * <p>Live messages form a chain above the cursor. The chain is <em>trusted</em> when it continues the cursor
 * without a gap: after a catch-up (or initial load) completed with no gap signal since its first request, for as
 * long as the connection stays ready. A message heard while TDLib is not ready (connecting, updating) suspends
 * trust: it is stored, but counts only once the connection is ready again without a gap signal in between
 * (TDLib reports a skipped gap with {@code updateChatLastMessage} while it updates). A gap signal (the last
 * message jumping or turning null, a long outage, a restart, the chat not synced for a while) breaks trust: only
 * a new catch-up, whose first request comes after the signal, restores it. What was trusted before a suspension
 * or a break still counts, up to {@code cap}.
 *
 * @param cursor the persisted forward cursor
 * @param trust whether live messages above {@code cap} continue the cursor
 * @param cap the newest id whose chain is known to continue the cursor while not trusted
 * @param epoch gap signals seen; a catch-up restores trust only if none came since its first request
 * @param catchUp the running catch-up or initial load, or null
 * @param notReadySinceCatchUp a message was heard while not ready during the running catch-up
 * @param chain live server messages above the cursor, oldest first, with whether they are stored yet
 * @param lastHeard the newest live message id heard (0 none), to tell a jump of the last message from news
 */
public record Frontier(
    long cursor,
    Trust trust,
    long cap,
    int epoch,
    CatchUp catchUp,
    boolean notReadySinceCatchUp,
    List<Link> chain,
    long lastHeard) {

  public enum Trust {
    TRUSTED,
    /** Heard while not ready: confirmed when the connection is ready again. */
    SUSPENDED,
    /** A possible gap: needs a catch-up. */
    BROKEN
  }

  /** A catch-up that sent its first request in {@code epoch}; {@code top} is its first page's newest id. */
  public record CatchUp(int epoch, long top) {}

  /** A message of the chain above the cursor, or the top a catch-up covered; stored yet or not. */
  public record Link(long id, boolean stored) {}

  public Frontier {
    chain = List.copyOf(chain);
  }

  /** After recovery: the cursor is known, nothing above it is. */
  public static Frontier recovered(long cursor) {
    return new Frontier(cursor, Trust.BROKEN, cursor, 0, null, false, List.of(), 0);
  }

  public boolean trusted() {
    return trust == Trust.TRUSTED;
  }

  /** Whether forward work is needed: a catch-up (or, before the first page, the initial load). */
  public boolean needsCatchUp() {
    return trust == Trust.BROKEN;
  }

  /** TDLib says the chat's newest message is the cursor and nothing was heard since: no catch-up needed. */
  public Frontier upToDate(long lastMessageId) {
    if (lastMessageId == 0 || lastMessageId != cursor || lastHeard != 0 || trust != Trust.BROKEN) {
      return this;
    }
    return new Frontier(cursor, Trust.TRUSTED, cursor, epoch, catchUp, false, chain, lastHeard);
  }

  /** A live server message heard; {@code ready} is whether the connection was ready. */
  public Frontier heard(long id, boolean ready) {
    long newestHeard = Math.max(lastHeard, id);
    if (id <= cursor || chain.stream().anyMatch(link -> link.id() == id)) {
      return new Frontier(cursor, trust, cap, epoch, catchUp, notReadySinceCatchUp, chain, newestHeard);
    }
    Trust nextTrust = trust;
    long nextCap = cap;
    if (!ready && trust == Trust.TRUSTED) {
      nextTrust = Trust.SUSPENDED;
      nextCap = newestLink();
    }
    boolean chained = nextTrust != Trust.BROKEN || (catchUp != null && catchUp.epoch() == epoch);
    if (!chained) {
      return new Frontier(cursor, trust, cap, epoch, catchUp, notReadySinceCatchUp, chain, newestHeard);
    }
    List<Link> longer = new ArrayList<>(chain);
    longer.add(new Link(id, false));
    longer.sort((a, b) -> Long.compare(a.id(), b.id()));
    boolean notReady = notReadySinceCatchUp || (!ready && catchUp != null);
    return new Frontier(cursor, nextTrust, nextCap, epoch, catchUp, notReady, longer, newestHeard);
  }

  /** Live messages are durably in the archive. */
  public Frontier stored(List<Long> ids) {
    List<Link> marked = chain.stream()
        .map(link -> ids.contains(link.id()) ? new Link(link.id(), true) : link)
        .toList();
    return new Frontier(cursor, trust, cap, epoch, catchUp, notReadySinceCatchUp, marked, lastHeard);
  }

  /** The last message moved to {@code lastMessageId} (0: unknown): a gap unless it is a message we heard. */
  public boolean isGap(long lastMessageId) {
    return lastMessageId == 0 || lastMessageId > Math.max(cursor, lastHeard);
  }

  /** A possible gap: trust is gone until a catch-up that starts after it; what was trusted stays, up to cap. */
  public Frontier gap() {
    long keptUpTo = trust == Trust.TRUSTED ? newestLink() : cap;
    List<Link> kept = chain.stream().filter(link -> link.id() <= keptUpTo).toList();
    return new Frontier(cursor, Trust.BROKEN, keptUpTo, epoch + 1, catchUp, notReadySinceCatchUp, kept, lastHeard);
  }

  /** The connection is ready again with no long outage: what was heard meanwhile continues the chain. */
  public Frontier ready() {
    if (trust != Trust.SUSPENDED) {
      return new Frontier(cursor, trust, cap, epoch, catchUp, false, chain, lastHeard);
    }
    return new Frontier(cursor, Trust.TRUSTED, cap, epoch, catchUp, false, chain, lastHeard);
  }

  /** A catch-up (or initial load) sends its first request now. */
  public Frontier catchUpStarted() {
    return new Frontier(cursor, trust, cap, epoch, new CatchUp(epoch, cursor), false, chain, lastHeard);
  }

  /** Its first page arrived; {@code top} is the newest server message in it, or 0 if none. */
  public Frontier catchUpTop(long top) {
    CatchUp started = catchUp == null ? new CatchUp(epoch, cursor) : catchUp;
    return new Frontier(cursor, trust, cap, epoch, new CatchUp(started.epoch(), Math.max(cursor, top)),
        notReadySinceCatchUp, chain, lastHeard);
  }

  /**
   * The catch-up stored every page down to the cursor, so everything up to its top is archived: a stored link at
   * the top. With no gap signal since its first request the chain above the top continues it, and trust is back
   * (suspended when something was heard while not ready); after a gap only the top itself counts.
   */
  public Frontier catchUpFinished() {
    long top = catchUp == null ? cursor : catchUp.top();
    List<Link> covered = new ArrayList<>();
    if (top > cursor) {
      covered.add(new Link(top, true));
    }
    chain.stream().filter(link -> link.id() > top).forEach(covered::add);
    if (catchUp == null || catchUp.epoch() != epoch) {
      return new Frontier(cursor, Trust.BROKEN, Math.max(cap, top), epoch, null, false, covered, lastHeard);
    }
    Trust restored = notReadySinceCatchUp ? Trust.SUSPENDED : Trust.TRUSTED;
    return new Frontier(cursor, restored, Math.max(cap, top), epoch, null, false, covered, lastHeard);
  }

  /**
   * The newest id the cursor may move to now: the end of the stored prefix of the chain, as far as the chain
   * continues the cursor (all of it when trusted, up to {@code cap} otherwise). The cursor itself if none.
   */
  public long advanceTarget() {
    long reach = cursor;
    for (Link link : chain) {
      if (!link.stored() || (trust != Trust.TRUSTED && link.id() > cap)) {
        break;
      }
      reach = link.id();
    }
    return reach;
  }

  /** The cursor was persisted at {@code newCursor}. */
  public Frontier advancedTo(long newCursor) {
    List<Link> above = chain.stream().filter(link -> link.id() > newCursor).toList();
    return new Frontier(Math.max(cursor, newCursor), trust, Math.max(cap, newCursor), epoch, catchUp,
        notReadySinceCatchUp, above, lastHeard);
  }

  private long newestLink() {
    return chain.isEmpty() ? cursor : Math.max(cursor, chain.get(chain.size() - 1).id());
  }
}
