package dev.tg.node;

import dev.tg.simulator.ChatKind;
import dev.tg.simulator.LoginScript;
import dev.tg.simulator.SimChat;
import dev.tg.simulator.SimulatedTdJson;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.telegram.ConformingTdJson;
import dev.tg.telegram.RequestLog;
import dev.tg.telegram.TdDispatcher;
import dev.tg.telegram.TdlibInstall;
import dev.tg.telegram.TdlibSchema;
import java.util.List;

/**
 * The simulated TDLib of a test node, judged by TDLib 1.8.65's schema as it runs: every request the node sends and
 * every object the simulator emits is checked, and a test node ends by asserting there was no violation.
 */
public final class SimulatedTdlib {
  private static TdlibSchema schema;

  private final ConformingTdJson judged;
  private final TdDispatcher dispatcher;

  private SimulatedTdlib(SimulatedTelegram world, String account, RequestLog requestLog, LoginScript login) {
    this.judged = new ConformingTdJson(new SimulatedTdJson(world, login), schema());
    this.dispatcher = new TdDispatcher(judged, account, requestLog);
  }

  public static SimulatedTdlib of(SimulatedTelegram world, String account) {
    return new SimulatedTdlib(world, account, null, LoginScript.AUTO);
  }

  /** With every request and answer written to {@code requestLog} (may be null). */
  public static SimulatedTdlib of(SimulatedTelegram world, String account, RequestLog requestLog) {
    return new SimulatedTdlib(world, account, requestLog, LoginScript.AUTO);
  }

  /** Logging in as {@code login} says, unless the instance finds a session in its database directory. */
  public static SimulatedTdlib of(SimulatedTelegram world, String account, RequestLog requestLog, LoginScript login) {
    return new SimulatedTdlib(world, account, requestLog, login);
  }

  /** The schema, read once for every test of the JVM (the file is large). */
  public static synchronized TdlibSchema schema() {
    if (schema == null) {
      schema = TdlibSchema.load(TdlibInstall.schema());
    }
    return schema;
  }

  /**
   * The world's chats as a node sees them: a node passes {@code use_secret_chats = false}, so the world's secret
   * chats do not exist for it.
   */
  public static List<SimChat> chatsTheNodeSees(SimulatedTelegram world) {
    return world.chats().stream().filter(chat -> chat.kind() != ChatKind.SECRET).toList();
  }

  public TdDispatcher dispatcher() {
    return dispatcher;
  }

  public ConformingTdJson judged() {
    return judged;
  }
}
