package dev.tg.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.tg.archive.ArchiveReader;
import dev.tg.archive.ArchiveStore;
import dev.tg.config.NodeSettings;
import dev.tg.config.OwnerOnlyFiles;
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
import org.apache.pekko.actor.typed.ActorSystem;

/** Starts a node: prepares the data directory and the journal, then runs the actor system until it ends. */
public final class NodeLauncher {
  public static final String DEMO_ACCOUNT = "demo";

  private NodeLauncher() {}

  /** A running node and what must be closed with it. */
  public record RunningNode(ActorSystem<Node.Command> system, List<SimulatedTelegram> worlds) {}

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

  /** {@code requestLog} (may be null) is closed once the node has ended. */
  public static RunningNode start(Config config, NodeSettings settings, List<Node.AccountPlan> plans,
      List<SimulatedTelegram> worlds, RequestLog requestLog) {
    OwnerOnlyFiles.createDirectories(settings.dataDir());
    JournalDatabase.prepare(settings.journalFile());
    Config withJournal = config.withValue("pekko-persistence-jdbc.shared-databases.tg.db.url",
        ConfigValueFactory.fromAnyRef(JournalDatabase.url(settings.journalFile())));
    ArchiveStore store = ArchiveStore.open(settings.archiveFile());
    ArchiveReader reader = ArchiveReader.open(settings.archiveFile());
    String token = HttpToken.forBinding(settings.httpHost(), settings.httpToken(), settings.dataDir());
    ActorSystem<Node.Command> system = ActorSystem.create(
        Node.create(settings, plans, store, reader, token), "tg", ConfigFactory.empty().withFallback(withJournal));
    system.getWhenTerminated().thenRun(() -> {
      plans.stream().map(Node.AccountPlan::dispatcher).distinct().forEach(TdDispatcher::close);
      worlds.forEach(SimulatedTelegram::close);
      if (requestLog != null) {
        requestLog.close();
      }
    });
    return new RunningNode(system, worlds);
  }
}
