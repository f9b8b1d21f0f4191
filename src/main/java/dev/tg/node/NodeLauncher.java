package dev.tg.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tg.archive.Archive;
import dev.tg.archive.ArchiveLocation;
import dev.tg.archive.ArchiveReader;
import dev.tg.archive.ArchiveStore;
import dev.tg.cluster.ClusterConfig;
import dev.tg.config.NodeSettings;
import dev.tg.config.OwnerOnlyFiles;
import dev.tg.datadir.DataDirCheck;
import dev.tg.datadir.DataDirLock;
import dev.tg.http.HttpToken;
import dev.tg.simulator.LoginScript;
import dev.tg.simulator.SimulatedTdJson;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.simulator.WorldSpec;
import dev.tg.telegram.RequestLog;
import dev.tg.telegram.TdDispatcher;
import dev.tg.telegram.TdlibParameters;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Starts a node: locks and checks the data directory, prepares the journal, then runs the actor system until it
 * ends.
 */
public final class NodeLauncher {
  public static final String DEMO_ACCOUNT = "demo";

  private NodeLauncher() {}

  /**
   * A running node and the archive it writes with; {@code whenStopped} completes once its actor system has ended,
   * its files are closed and the data directory's lock is released.
   */
  public record RunningNode(ActorSystem<Node.Command> system, List<SimulatedTelegram> worlds,
      CompletionStage<Archive> archive, CompletionStage<Void> whenStopped) {
    /** Stops the node and waits until it has. */
    public void stop() {
      system.terminate();
      whenStopped.toCompletableFuture().join();
    }
  }

  /** Starts the demo node on the built-in simulated accounts, each with its own world. */
  public static RunningNode startDemo(Config config, NodeSettings settings) {
    OwnerOnlyFiles.createDirectories(settings.dataDir());
    NodeSettings.Demo demo = settings.demo();
    RequestLog requestLog = requestLog(settings);
    List<Node.AccountPlan> plans = new ArrayList<>();
    List<SimulatedTelegram> worlds = new ArrayList<>();
    for (int i = 0; i < demo.accounts(); i++) {
      String account = i == 0 ? DEMO_ACCOUNT : DEMO_ACCOUNT + "-" + (i + 1);
      SimulatedTelegram world = demoWorld(settings, account, demo.seed() + i);
      worlds.add(world);
      plans.add(demoPlan(settings, account, new TdDispatcher(new SimulatedTdJson(world, LoginScript.AUTO), account,
          requestLog)));
    }
    return start(config, settings, plans, worlds, requestLog);
  }

  /** The request log the settings ask for, or null. */
  public static RequestLog requestLog(NodeSettings settings) {
    return settings.requestLog() == null ? null : RequestLog.open(settings.requestLog(), settings.requestLogFull());
  }

  /** The world of a demo account: a function of its seed and of the epoch kept in its data directory. */
  public static SimulatedTelegram demoWorld(NodeSettings settings, String account, long seed) {
    NodeSettings.Demo demo = settings.demo();
    WorldSpec spec = (demo.world().equals("tiny") ? WorldSpec.tiny(seed) : WorldSpec.demo(seed));
    spec = spec.withLiveTraffic(demo.liveMessagesPerSecond(), spec.editFraction(), spec.deleteFraction());
    SimulatedTelegram world = new SimulatedTelegram(
        spec, DemoWorld.epoch(settings.dataDir(), account), Clock.systemUTC());
    world.setRtt(demo.rtt());
    return world;
  }

  /** The plan of one simulated account, logged in by itself, on its own simulated TDLib. */
  public static Node.AccountPlan demoPlan(NodeSettings settings, String account, TdDispatcher dispatcher) {
    OwnerOnlyFiles.createDirectories(settings.sessionDir(account));
    return new Node.AccountPlan(account, dispatcher, TdlibParameters.of(
        settings.sessionDir(account), 1, "demo", new byte[0], true));
  }

  /**
   * Starts a node on the data directory, which it locks for as long as it runs; refuses a directory another
   * process uses ({@link DataDirLock.Held}) or a damaged database ({@link DataDirCheck.Damaged}).
   * {@code requestLog} (may be null) is closed once the node has ended.
   */
  public static RunningNode start(Config config, NodeSettings settings, List<Node.AccountPlan> plans,
      List<SimulatedTelegram> worlds, RequestLog requestLog) {
    DataDirLock lock = DataDirLock.acquire(settings.dataDir(), "node");
    try {
      // the SQLite files' check: on PostgreSQL the server checks its own pages
      List<DataDirCheck.FileCheck> damaged = settings.database().onPostgres() ? List.of()
          : DataDirCheck.damaged(settings);
      if (!damaged.isEmpty()) {
        throw new DataDirCheck.Damaged(damaged);
      }
      Config withJournal = ClusterConfig.apply(JournalDatabase.prepare(config, settings), settings.cluster());
      ArchiveLocation location = ArchiveLocation.of(settings);
      ArchiveStore store = ArchiveStore.open(location);
      ArchiveReader reader = ArchiveReader.open(location);
      String token = HttpToken.forBinding(settings.httpHost(), settings.httpToken(), settings.dataDir());
      CompletableFuture<Archive> archive = new CompletableFuture<>();
      ActorSystem<Node.Command> system = ActorSystem.create(Node.create(settings, plans, store, reader, token,
          archive), ClusterConfig.SYSTEM_NAME, ConfigFactory.empty().withFallback(withJournal));
      // closed after every actor has stopped, so that no write of theirs finds the archive closed
      CompletionStage<Void> stopped = system.getWhenTerminated().thenRun(() -> {
        Archive opened = archive.getNow(null);
        if (opened != null) {
          opened.close(); // after the group being written, if any
        } else {
          store.close();
        }
        reader.close();
        plans.stream().map(Node.AccountPlan::dispatcher).distinct().forEach(TdDispatcher::close);
        worlds.forEach(SimulatedTelegram::close);
        if (requestLog != null) {
          requestLog.close();
        }
      }).whenComplete((done, failure) -> lock.close());
      return new RunningNode(system, worlds, archive, stopped);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }
}
