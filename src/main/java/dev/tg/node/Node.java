package dev.tg.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.archive.Archive;
import dev.tg.archive.ArchiveReader;
import dev.tg.archive.ArchiveStore;
import dev.tg.cluster.AccountLeases;
import dev.tg.cluster.LeaseFence;
import dev.tg.cluster.SessionStore;
import dev.tg.cluster.SharedDatabase;
import dev.tg.cluster.TdlibSession;
import dev.tg.config.DatabaseSettings;
import dev.tg.config.NodeSettings;
import dev.tg.http.AccountQueries;
import dev.tg.http.HttpApi;
import dev.tg.metrics.NodeMetrics;
import dev.tg.telegram.TdDispatcher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/** The guardian: one subtree per account (in a cluster, the accounts sharding gives this node), and the HTTP route. */
public final class Node {

  public interface Command {}

  private record Bound(ServerBinding binding) implements Command {}

  private record BindFailed(String reason) implements Command {}

  /** Why a node stopped on its own during start-up; the launcher turns it into exit code 1. */
  public enum StartupFailed implements CoordinatedShutdown.Reason {
    INSTANCE
  }

  /** An account to run: its TDLib (native or simulated) and the parameters its client starts with. */
  public record AccountPlan(String name, TdDispatcher dispatcher, ObjectNode tdlibParameters) {}

  private Node() {}

  /**
   * {@code httpToken} null serves loopback without a token; {@code opened} gets the archive the node writes with,
   * for the launcher to close once the node has ended.
   */
  public static Behavior<Command> create(NodeSettings settings, List<AccountPlan> plans, ArchiveStore store,
      ArchiveReader reader, String httpToken, CompletableFuture<Archive> opened) {
    return Behaviors.setup(context -> {
      Executor blocking = context.getSystem().dispatchers()
          .lookup(DispatcherSelector.fromConfig("tg-archive-dispatcher"));
      NodeMetrics metrics = NodeMetrics.get(context.getSystem());
      LeasedAccount.LeaseSetup lease = settings.database().onPostgres() ? leaseSetup(settings.database()) : null;
      if (lease != null) {
        store.fenceWith(lease.fence());
      }
      Archive archive = new Archive(store, blocking, metrics);
      opened.complete(archive);
      Executor reads = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
      Map<String, AccountQueries> accounts = new LinkedHashMap<>();
      // the accounts running on this node, which write to its archive
      Map<String, ActorRef<Account.Command>> local = new ConcurrentHashMap<>();
      Function<AccountPlan, Behavior<Account.Command>> accountBehavior = plan -> {
        Account.Setup setup = new Account.Setup(
            plan.name(), plan.dispatcher(), plan.tdlibParameters(), settings.sync(), archive, reader,
            settings.media(), settings.mediaDir());
        Behavior<Account.Command> supervised = Behaviors.supervise(Account.create(setup))
            .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
        return lease == null ? supervised : LeasedAccount.create(plan.name(), supervised, lease,
            new TdlibSession(lease.sessions(), settings.sessionDir(plan.name())), archive);
      };
      if (settings.cluster().enabled()) {
        ShardedAccounts sharded = ShardedAccounts.start(context.getSystem(), plans, accountBehavior, local);
        plans.forEach(plan -> accounts.put(plan.name(),
            new AccountAsks(plan.name(), sharded.entity(plan.name()), true, context.getSystem(), reader, reads)));
      } else {
        for (AccountPlan plan : plans) {
          ActorRef<Account.Command> account = context.spawn(accountBehavior.apply(plan), "account-" + plan.name());
          accounts.put(plan.name(), new AccountAsks(plan.name(), account, false, context.getSystem(), reader, reads));
          local.put(plan.name(), account);
        }
      }
      archive.storage().subscribe(condition ->
          local.values().forEach(account -> account.tell(new Account.StorageChanged(condition))));
      measureRoomPeriodically(context.getSystem(), archive, settings, plans);
      HttpApi api = new HttpApi(accounts, Instant.now(), httpToken, metrics::scrape,
          settings.cluster().enabled() ? () -> ShardedAccounts.members(context.getSystem()) : () -> null);
      context.pipeToSelf(
          Http.get(context.getSystem()).newServerAt(settings.httpHost(), settings.httpPort()).bind(api.routes()),
          (binding, failure) -> failure == null
              ? new Bound(binding)
              : new BindFailed("cannot listen on " + settings.httpHost() + ":" + settings.httpPort() + ": "
                  + failure.getMessage()));
      return Behaviors.receive(Command.class)
          .onMessage(Bound.class, bound -> {
            context.getLog().info("HTTP API on http://{}:{}", bound.binding().localAddress().getHostString(),
                bound.binding().localAddress().getPort());
            bound.binding().addToCoordinatedShutdown(Duration.ofSeconds(3), context.getSystem());
            return Behaviors.same();
          })
          .onMessage(BindFailed.class, failed -> {
            // without its route the node cannot be watched or asked: stop rather than run blind
            context.getLog().error(failed.reason());
            CoordinatedShutdown.get(context.getSystem()).runAll(StartupFailed.INSTANCE);
            return Behaviors.same();
          })
          .build();
    });
  }

  /**
   * Leases held in the shared database under this node's id and a name of this start of it, so that a node
   * restarted after a crash does not mistake its dead predecessor's leases for its own (it waits for them to expire).
   */
  private static LeasedAccount.LeaseSetup leaseSetup(DatabaseSettings database) {
    String holder = database.nodeId() + "/" + UUID.randomUUID().toString().substring(0, 8);
    SharedDatabase shared = new SharedDatabase(database.postgres());
    return new LeasedAccount.LeaseSetup(new AccountLeases(shared, Clock.systemUTC()), holder, database.leaseTtl(),
        database.leaseRenewInterval(), new SessionStore(shared, Clock.systemUTC()), database.sessionSaveInterval(),
        new LeaseFence());
  }

  /** The room left where the archive, the journal and TDLib's files are, measured now and then every interval. */
  private static void measureRoomPeriodically(ActorSystem<?> system, Archive archive, NodeSettings settings,
      List<AccountPlan> plans) {
    List<Path> dirs = new ArrayList<>(List.of(settings.dataDir()));
    plans.forEach(plan -> dirs.add(settings.sessionDir(plan.name())));
    NodeSettings.Storage storage = settings.storage();
    system.scheduler().scheduleWithFixedDelay(Duration.ZERO, storage.checkInterval(),
        () -> archive.measureRoom(dirs, storage.minFreeBytes()), system.executionContext());
  }
}
