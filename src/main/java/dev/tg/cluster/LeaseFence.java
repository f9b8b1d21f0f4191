package dev.tg.cluster;

import dev.tg.cluster.AccountLeases.Lease;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admits an account's archive writes only while this node holds the lease it took for the account. The check
 * locks the lease's row until the write commits ({@link AccountLeases#stillHeld}), so a node taking the account over
 * waits for a write under way, and every write after that finds the lease gone: no write of a node that lost an
 * account lands after the next holder took it.
 */
public final class LeaseFence implements WriteFence {
  private record Held(Lease lease, Runnable onTakenOver) {}

  private final Map<String, Held> held = new ConcurrentHashMap<>();

  /**
   * From now on {@code lease} is the one its account's writes must hold; {@code onTakenOver} runs once, on the
   * writer's thread, when a write finds that another node has taken it.
   */
  public void hold(Lease lease, Runnable onTakenOver) {
    held.put(lease.account(), new Held(lease, onTakenOver));
  }

  /** The account's writes are refused from now on. */
  public void drop(String account) {
    held.remove(account);
  }

  @Override
  public boolean admits(Connection connection, String account) throws SQLException {
    Held holding = held.get(account);
    if (holding == null) {
      return false;
    }
    if (AccountLeases.stillHeld(connection, holding.lease())) {
      return true;
    }
    if (held.remove(account, holding)) {
      holding.onTakenOver().run();
    }
    return false;
  }
}
