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
import dev.tg.telegram.TdDispatcher;
import dev.tg.telegram.TdlibParameters;
import java.time.Clock;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;

/** Starts a node: prepares the data directory and the journal, then runs the actor system until it ends. */
public final class NodeLauncher {
  public static final String DEMO_ACCOUNT = "demo";

  private NodeLauncher() {}

  /** A running node and what must be closed with it. */
  public record RunningNode(ActorSystem<Node.Command> system, List<SimulatedTelegram> worlds) {}

  /** Starts the demo node on the built-in simulated account. */
  public static RunningNode startDemo(Config config, NodeSettings settings) {
    OwnerOnlyFiles.createDirectories(settings.dataDir());
    SimulatedTelegram world = new SimulatedTelegram(
        WorldSpec.demo(settings.demoSeed()), DemoWorld.epoch(settings.dataDir(), DEMO_ACCOUNT), Clock.systemUTC());
    world.setRtt(settings.demoRtt());
    return start(config, settings, List.of(demoPlan(settings, DEMO_ACCOUNT, world)), List.of(world));
  }

  /** The plan of one simulated account, logged in by itself. */
  public static Node.AccountPlan demoPlan(NodeSettings settings, String account, SimulatedTelegram world) {
    TdDispatcher dispatcher = new TdDispatcher(new SimulatedTdJson(world, LoginScript.AUTO), account);
    return new Node.AccountPlan(account, dispatcher, TdlibParameters.of(
        settings.sessionDir(account), 1, "demo", new byte[0], true));
  }

  public static RunningNode start(
      Config config, NodeSettings settings, List<Node.AccountPlan> plans, List<SimulatedTelegram> worlds) {
    OwnerOnlyFiles.createDirectories(settings.dataDir());
    JournalDatabase.prepare(settings.journalFile());
    Config withJournal = config.withValue("pekko-persistence-jdbc.shared-databases.tg.db.url",
        ConfigValueFactory.fromAnyRef(JournalDatabase.url(settings.journalFile())));
    ArchiveStore store = ArchiveStore.open(settings.archiveFile());
    ArchiveReader reader = ArchiveReader.open(settings.archiveFile());
    String token = HttpToken.forBinding(settings.httpHost(), settings.httpToken(), settings.dataDir());
    ActorSystem<Node.Command> system = ActorSystem.create(
        Node.create(settings, plans, store, reader, token), "tg", ConfigFactory.empty().withFallback(withJournal));
    system.getWhenTerminated().thenRun(() -> worlds.forEach(SimulatedTelegram::close));
    return new RunningNode(system, worlds);
  }
}
