-- The latest copy of each account's TDLib session (dev.tg.cluster.TdlibSession: a zip of its td.binlog), for the
-- node that runs the account next; written only by the lease's current holder, stamped with its fencing value.
CREATE TABLE account_session (
  account TEXT PRIMARY KEY,
  files BYTEA NOT NULL,
  saved_at TIMESTAMPTZ NOT NULL,
  holder TEXT NOT NULL,
  fencing BIGINT NOT NULL
);
