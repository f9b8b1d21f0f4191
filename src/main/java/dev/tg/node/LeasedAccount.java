package dev.tg.node;

import dev.tg.archive.Archive;
import dev.tg.chat.Audits;
import dev.tg.cluster.AccountLeases;
import dev.tg.cluster.AccountLeases.Lease;
import dev.tg.cluster.LeaseFence;
import dev.tg.cluster.SessionStore;
import dev.tg.cluster.SessionStore.SavedSession;
import dev.tg.cluster.TdlibSession;
import dev.tg.status.Status;
import dev.tg.status.SyncStatus.AccountStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;

/**
 * An account that runs only while this node holds its lease in the shared database: it waits, trying again every
 * renewal interval, while another node holds it; starts the account once it has it; renews it every interval;
 * and stops the account as soon as a renewal fails. The lease is released after the account has stopped.
 *
 * <p>The account's TDLib session follows the lease: once the lease is taken, the copy in the shared database
 * replaces the local files before TDLib starts (unless they are that copy, or grew from it); the session is saved
 * every {@code sessionSaveInterval} while the account runs, and once more after it has stopped, before the lease is
 * released.
 *
 * <p>The account's archive writes are fenced by the lease it was started under ({@link LeaseFence}): refused as soon
 * as the lease is lost here, and by the database once another node has taken it.
 */
final class LeasedAccount {
  // how long a stop waits for the account's queued archive writes, as it waits for TDLib to close
  private static final Duration LAST_WRITES_TIMEOUT = Duration.ofSeconds(5);

  /**
   * The lease table, this node's name in it, how long a lease lasts and how often it is renewed; where the TDLib
   * sessions are kept, and how often they are saved; the fence that admits an account's archive writes only under
   * the lease held now.
   */
  record LeaseSetup(AccountLeases leases, String holder, Duration ttl, Duration renewInterval,
      SessionStore sessions, Duration sessionSaveInterval, LeaseFence fence) {}

  private enum Tick implements Account.Command {
    INSTANCE
  }

  private enum SaveSession implements Account.Command {
    INSTANCE
  }

  /** The lease runs out now by this node's own reckoning: no renewal was confirmed in time. */
  private enum Expired implements Account.Command {
    INSTANCE
  }

  /** {@code sentNanos}: when the request left, from which the lease it got lasts one ttl at most. */
  private record Attempted(Taken taken, Throwable failure, long sentNanos) implements Account.Command {}

  /** The lease as it stands after an attempt to take it; {@code restored}: the copy put in place, if one was. */
  private record Taken(Lease lease, Optional<SavedSession> restored) {}

  private record Saved(boolean kept, Throwable failure) implements Account.Command {}

  /** An archive write found the lease taken by another node; {@code fencing}: the holding it was written under. */
  private record TakenOver(long fencing) implements Account.Command {}

  private record Renewed(boolean kept, Throwable failure, long sentNanos) implements Account.Command {}

  private final String name;
  private final Behavior<Account.Command> account;
  private final LeaseSetup setup;
  private final TdlibSession session;
  private final Archive archive;
  private final ActorContext<Account.Command> context;
  private final TimerScheduler<Account.Command> timers;
  private final Executor blocking;

  private LeasedAccount(String name, Behavior<Account.Command> account, LeaseSetup setup, TdlibSession session,
      Archive archive, ActorContext<Account.Command> context, TimerScheduler<Account.Command> timers) {
    this.name = name;
    this.account = account;
    this.setup = setup;
    this.session = session;
    this.archive = archive;
    this.context = context;
    this.timers = timers;
    this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
  }

  /**
   * {@code account} is started, as this actor's child, only while the lease is held, on {@code session}; its writes
   * to {@code archive} are admitted only under that lease.
   */
  static Behavior<Account.Command> create(String name, Behavior<Account.Command> account, LeaseSetup setup,
      TdlibSession session, Archive archive) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      context.getSelf().tell(Tick.INSTANCE);
      return new LeasedAccount(name, account, setup, session, archive, context, timers)
          .waiting("waiting for lease");
    }));
  }

  private Behavior<Account.Command> waiting(String state) {
    return notRunning(state)
        .onMessageEquals(Tick.INSTANCE, () -> {
          long sent = System.nanoTime();
          context.pipeToSelf(call(this::take), (taken, failure) -> new Attempted(taken, failure, sent));
          return Behaviors.same();
        })
        .onMessage(Attempted.class, this::onAttempted)
        .build();
  }

  /** The answers of an account that does not run here now; anything else concerns only a running account. */
  private BehaviorBuilder<Account.Command> notRunning(String state) {
    String refusal = "account " + name + " is not running here: " + state;
    return Behaviors.receive(Account.Command.class)
        .onMessage(Saved.class, this::onSaved)
        .onMessage(Account.GetStatus.class, get -> {
          get.replyTo().tell(AccountStatus.notRunning(name, state));
          return Behaviors.same();
        })
        .onMessage(Account.GetChats.class, get -> {
          get.replyTo().tell(new Status.ChatList(List.of()));
          return Behaviors.same();
        })
        .onMessage(Account.GetChat.class, get -> {
          get.replyTo().tell(new Status.FoundChat(Optional.empty()));
          return Behaviors.same();
        })
        .onMessage(Account.SyncChat.class, sync -> {
          sync.replyTo().tell(StatusReply.error(refusal));
          return Behaviors.same();
        })
        .onMessage(Account.FetchChatMedia.class, fetch -> {
          fetch.replyTo().tell(StatusReply.error(refusal));
          return Behaviors.same();
        })
        .onMessage(Account.AuditChat.class, audit -> {
          audit.replyTo().tell(new Audits.FoundAudit(Optional.empty()));
          return Behaviors.same();
        })
        .onMessage(Account.GetAudit.class, get -> {
          get.replyTo().tell(new Audits.FoundAudit(Optional.empty()));
          return Behaviors.same();
        })
        // handed over to another node by Cluster Sharding: nothing runs here to close
        .onMessageEquals(Account.Stop.INSTANCE, Behaviors::stopped);
  }

  /** Takes the lease and, once it is this node's, puts the session in place: TDLib must not start on another. */
  private Taken take() throws SQLException {
    Lease lease = setup.leases().acquire(name, setup.holder(), setup.ttl());
    return new Taken(lease, lease.heldBy(setup.holder()) ? session.restore(name) : Optional.empty());
  }

  private Behavior<Account.Command> onAttempted(Attempted attempted) {
    if (attempted.failure() != null) {
      Throwable cause = cause(attempted.failure());
      context.getLog().warn("[{}] cannot take the lease and the session, trying again: {}", name,
          cause.getMessage());
      return retry("waiting for lease (" + (cause instanceof SQLException ? "database: " : "") + cause.getMessage()
          + ")");
    }
    Lease lease = attempted.taken().lease();
    if (!lease.heldBy(setup.holder())) {
      return retry("waiting for lease (held by " + lease.holder() + " until " + lease.expiresAt() + ")");
    }
    attempted.taken().restored().ifPresent(copy -> context.getLog().info(
        "[{}] TDLib session restored from the copy [{}] saved at [{}] (fencing [{}])", name, copy.holder(),
        copy.savedAt(), copy.fencing()));
    context.getLog().info("[{}] lease taken by [{}] (fencing [{}]): starting the account", name, setup.holder(),
        lease.fencing());
    setup.fence().hold(lease, () -> context.getSelf().tell(new TakenOver(lease.fencing())));
    ActorRef<Account.Command> running = context.spawn(account, "account");
    context.watch(running);
    timers.startTimerWithFixedDelay(Tick.INSTANCE, setup.renewInterval());
    timers.startTimerWithFixedDelay(SaveSession.INSTANCE, setup.sessionSaveInterval());
    expireAfter(attempted.sentNanos());
    return running(lease, running);
  }

  private Behavior<Account.Command> retry(String state) {
    timers.startSingleTimer(Tick.INSTANCE, setup.renewInterval());
    return waiting(state);
  }

  private Behavior<Account.Command> running(Lease lease, ActorRef<Account.Command> running) {
    return Behaviors.receive(Account.Command.class)
        .onMessageEquals(Tick.INSTANCE, () -> {
          long sent = System.nanoTime();
          context.pipeToSelf(call(() -> setup.leases().renew(lease, setup.ttl())),
              (kept, failure) -> new Renewed(Boolean.TRUE.equals(kept), failure, sent));
          return Behaviors.same();
        })
        .onMessage(Renewed.class, renewed -> {
          if (renewed.kept()) {
            expireAfter(renewed.sentNanos());
            return Behaviors.same();
          }
          return lose(running, renewed.failure() == null ? "another node has taken it"
              : "the database did not answer: " + cause(renewed.failure()).getMessage());
        })
        // TDLib keeps running: the copy is what it would find after a crash now (see TdlibSession)
        .onMessageEquals(SaveSession.INSTANCE, () -> {
          context.pipeToSelf(call(() -> session.save(lease)), (kept, failure) ->
              new Saved(Boolean.TRUE.equals(kept), failure));
          return Behaviors.same();
        })
        .onMessage(Saved.class, this::onSaved)
        .onMessage(TakenOver.class, taken -> taken.fencing() != lease.fencing() ? Behaviors.same()
            : lose(running, "another node has taken it, an archive write found"))
        // a renewal hanging on the database must not keep the account running past its lease
        .onMessageEquals(Expired.INSTANCE, () -> lose(running, "it ran out before a renewal was confirmed"))
        .onMessage(Account.Command.class, command -> {
          running.tell(command);
          return Behaviors.same();
        })
        // the account stops by itself only when the node stops
        .onSignal(Terminated.class, terminated -> {
          saveThenRelease(lease);
          return Behaviors.stopped();
        })
        // the node is stopping: the account has closed its TDLib, so the next node may take the lease at once
        .onSignal(PostStop.class, stopped -> saveThenRelease(lease))
        .build();
  }

  private Behavior<Account.Command> onSaved(Saved saved) {
    if (saved.failure() != null) {
      context.getLog().warn("[{}] cannot save the TDLib session, the database keeps an older copy: {}", name,
          cause(saved.failure()).getMessage());
    } else if (!saved.kept()) {
      context.getLog().debug("[{}] TDLib session not saved: none yet, or the lease is no longer this node's", name);
    }
    return Behaviors.same();
  }

  private void expireAfter(long sentNanos) {
    Duration left = setup.ttl().minusNanos(System.nanoTime() - sentNanos);
    timers.startSingleTimer(Expired.INSTANCE, left.isNegative() ? Duration.ZERO : left);
  }

  private Behavior<Account.Command> lose(ActorRef<Account.Command> running, String why) {
    context.getLog().error("[{}] cannot renew the lease ({}): stopping the account", name, why);
    setup.fence().drop(name);
    timers.cancel(Tick.INSTANCE);
    timers.cancel(Expired.INSTANCE);
    // another node may be running the account now: the last copy saved under the lease stays the one to go on from
    timers.cancel(SaveSession.INSTANCE);
    context.stop(running);
    return stopping(why);
  }

  /** Waits for the account to have stopped before taking the lease again; status tells why it stopped. */
  private Behavior<Account.Command> stopping(String why) {
    return notRunning("lease lost (" + why + "), stopping")
        .onSignal(Terminated.class, terminated -> retry("waiting for lease (lost: " + why + ")"))
        .build();
  }

  private Behavior<Account.Command> saveThenRelease(Lease lease) {
    try {
      // the account's last writes, still under the lease: the next node goes on from them
      archive.written().toCompletableFuture().get(LAST_WRITES_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      context.getLog().warn("[{}] the archive did not confirm the account's last writes before the lease is "
          + "released; the next node fetches again what they held: {}", name, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    setup.fence().drop(name);
    try {
      if (session.save(lease)) {
        context.getLog().info("[{}] TDLib session saved for the node that runs the account next", name);
      }
    } catch (SQLException | RuntimeException e) {
      context.getLog().warn("[{}] cannot save the TDLib session, the database keeps an older copy: {}", name,
          e.getMessage());
    }
    try {
      setup.leases().release(lease);
    } catch (SQLException e) {
      context.getLog().warn("[{}] cannot release the lease, it expires at [{}]: {}", name, lease.expiresAt(),
          e.getMessage());
    }
    return Behaviors.same();
  }

  private static Throwable cause(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  private interface LeaseCall<T> {
    T run() throws SQLException;
  }

  private <T> CompletableFuture<T> call(LeaseCall<T> call) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return call.run();
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking);
  }
}
