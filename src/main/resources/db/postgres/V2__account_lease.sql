-- One row per account that was ever run: who may run it (null once released) and until when; fencing grows by one
-- at every new holder, so a write stamped with an older value comes from a runner that lost the account.
CREATE TABLE account_lease (
  account TEXT PRIMARY KEY,
  holder TEXT,
  expires_at TIMESTAMPTZ NOT NULL,
  fencing BIGINT NOT NULL
);
