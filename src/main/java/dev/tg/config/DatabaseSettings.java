package dev.tg.config;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Where the journal and the archive live ({@code tg.storage.database}): SQLite in the data directory, or PostgreSQL
 * shared by several nodes, which then also holds the account leases and the copies of their TDLib sessions
 * ({@code tg.cluster}).
 */
public record DatabaseSettings(Kind kind, Postgres postgres, String nodeId, Duration leaseTtl,
    Duration leaseRenewInterval, Duration sessionSaveInterval) {

  public enum Kind {
    SQLITE, POSTGRES
  }

  /** The PostgreSQL server; the password never appears in {@link #toString()}, so never in a log. */
  public record Postgres(String url, String user, String password) {
    @Override
    public String toString() {
      return "Postgres[url=" + url + ", user=" + user + "]";
    }
  }

  /** Reads and checks {@code tg.storage.database}, {@code tg.storage.postgres} and {@code tg.cluster}. */
  public static DatabaseSettings from(Config tg) {
    String database = tg.getString("storage.database");
    Kind kind = switch (database) {
      case "sqlite" -> Kind.SQLITE;
      case "postgres" -> Kind.POSTGRES;
      default -> throw new SettingsException("tg.storage.database", "must be sqlite or postgres, not " + database);
    };
    Postgres postgres = new Postgres(tg.getString("storage.postgres.url"), tg.getString("storage.postgres.user"),
        tg.getString("storage.postgres.password"));
    if (kind == Kind.POSTGRES && !postgres.url().startsWith("jdbc:postgresql:")) {
      throw new SettingsException("tg.storage.postgres.url",
          "must be a jdbc:postgresql:// URL when tg.storage.database is postgres");
    }
    Duration ttl = tg.getDuration("cluster.lease-ttl");
    Duration renew = tg.getDuration("cluster.lease-renew-interval");
    if (ttl.toMillis() <= 0) {
      throw new SettingsException("tg.cluster.lease-ttl", "must be positive");
    }
    // two renewals fit in one ttl, so a single slow or failed one does not lose the lease
    if (renew.toMillis() <= 0 || renew.multipliedBy(2).compareTo(ttl) > 0) {
      throw new SettingsException("tg.cluster.lease-renew-interval",
          "must be positive and at most half of tg.cluster.lease-ttl (" + ttl + ")");
    }
    Duration sessionSave = tg.getDuration("cluster.session-save-interval");
    if (sessionSave.toMillis() <= 0) {
      throw new SettingsException("tg.cluster.session-save-interval", "must be positive");
    }
    String nodeId = tg.getString("cluster.node-id");
    // looked up only where it names a lease holder: a slow resolver must not delay a single node
    return new DatabaseSettings(kind, postgres, nodeId.isBlank() && kind == Kind.POSTGRES ? hostName() : nodeId,
        ttl, renew, sessionSave);
  }

  public boolean onPostgres() {
    return kind == Kind.POSTGRES;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
