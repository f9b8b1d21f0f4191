-- The archive users read: messages with their edits and deletions, chats, users, contacts, full-text index,
-- and the design document's read models chat_sync_state and sync_jobs. Every row is keyed by account.
CREATE TABLE IF NOT EXISTS messages (
  account             TEXT    NOT NULL,
  chat_id             INTEGER NOT NULL,
  message_id          INTEGER NOT NULL,
  sender_id           INTEGER,
  date                INTEGER NOT NULL,
  edit_date           INTEGER NOT NULL DEFAULT 0,
  is_outgoing         INTEGER NOT NULL DEFAULT 0,
  content_type        TEXT    NOT NULL,
  text                TEXT,
  reply_to_message_id INTEGER,
  media_album_id      INTEGER,
  deleted             INTEGER NOT NULL DEFAULT 0,
  deleted_at          TEXT,
  archived_at         TEXT    NOT NULL,
  raw_json            TEXT    NOT NULL,
  UNIQUE (account, chat_id, message_id)
);

-- Previous versions of edited messages, oldest first.
CREATE TABLE IF NOT EXISTS message_versions (
  account       TEXT    NOT NULL,
  chat_id       INTEGER NOT NULL,
  message_id    INTEGER NOT NULL,
  version       INTEGER NOT NULL,
  edit_date     INTEGER NOT NULL,
  content_type  TEXT    NOT NULL,
  text          TEXT,
  content_json  TEXT    NOT NULL,
  replaced_at   TEXT    NOT NULL,
  PRIMARY KEY (account, chat_id, message_id, version)
);

-- How many messages of a chat are archived, kept in the same transaction as the rows.
CREATE TABLE IF NOT EXISTS chat_message_counts (
  account  TEXT    NOT NULL,
  chat_id  INTEGER NOT NULL,
  archived INTEGER NOT NULL,
  PRIMARY KEY (account, chat_id)
);

CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
  text, content='messages', content_rowid='rowid', tokenize='trigram');
CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages WHEN new.text IS NOT NULL BEGIN
  INSERT INTO messages_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER IF NOT EXISTS messages_fts_update AFTER UPDATE OF text ON messages BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, text) SELECT 'delete', old.rowid, old.text WHERE old.text IS NOT NULL;
  INSERT INTO messages_fts(rowid, text) SELECT new.rowid, new.text WHERE new.text IS NOT NULL;
END;

CREATE TABLE IF NOT EXISTS chats (
  account              TEXT    NOT NULL,
  chat_id              INTEGER NOT NULL,
  chat_type            TEXT    NOT NULL,
  title                TEXT    NOT NULL,
  member_count         INTEGER,
  -- a basic group upgraded to a supergroup: both chats are one history
  upgraded_to_chat_id  INTEGER,
  updated_at           TEXT    NOT NULL,
  PRIMARY KEY (account, chat_id)
);

CREATE TABLE IF NOT EXISTS users (
  account     TEXT    NOT NULL,
  user_id     INTEGER NOT NULL,
  first_name  TEXT,
  last_name   TEXT,
  username    TEXT,
  phone       TEXT,
  raw_json    TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL,
  PRIMARY KEY (account, user_id)
);

CREATE TABLE IF NOT EXISTS contacts (
  account     TEXT    NOT NULL,
  user_id     INTEGER NOT NULL,
  username    TEXT,
  first_name  TEXT,
  last_name   TEXT,
  phone       TEXT,
  is_mutual   INTEGER NOT NULL DEFAULT 0,
  last_seen   INTEGER,
  updated_at  TEXT    NOT NULL,
  PRIMARY KEY (account, user_id)
);

CREATE TABLE IF NOT EXISTS chat_sync_state (
  account             TEXT    NOT NULL,
  chat_id             INTEGER NOT NULL,
  chat_type           TEXT    NOT NULL,
  title               TEXT,
  member_count        INTEGER,
  forward_cursor      INTEGER,
  backward_cursor     INTEGER,
  sync_priority       INTEGER NOT NULL,
  sync_enabled        INTEGER NOT NULL,
  history_complete    INTEGER NOT NULL,
  access              TEXT    NOT NULL,
  total_messages      INTEGER,
  synced_messages     INTEGER NOT NULL,
  last_forward_sync   TEXT,
  last_backward_sync  TEXT,
  updated_at          TEXT    NOT NULL,
  PRIMARY KEY (account, chat_id)
);

CREATE TABLE IF NOT EXISTS sync_jobs (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  account           TEXT    NOT NULL,
  chat_id           INTEGER NOT NULL,
  job_type          TEXT    NOT NULL,
  priority          INTEGER NOT NULL,
  status            TEXT    NOT NULL DEFAULT 'pending',
  cursor_start      INTEGER,
  cursor_end        INTEGER,
  messages_fetched  INTEGER NOT NULL DEFAULT 0,
  error_message     TEXT,
  created_at        TEXT    NOT NULL,
  started_at        TEXT,
  completed_at      TEXT
);
CREATE INDEX IF NOT EXISTS sync_jobs_by_chat ON sync_jobs (account, chat_id, status);

-- Live changes (edits, content updates, deletions) of messages that are not archived yet, in arrival order:
-- applied when the message arrives, dropped once a page shows the message is gone.
CREATE TABLE IF NOT EXISTS pending_changes (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  account       TEXT    NOT NULL,
  chat_id       INTEGER NOT NULL,
  message_id    INTEGER NOT NULL,
  kind          TEXT    NOT NULL,
  edit_date     INTEGER,
  content_json  TEXT,
  text          TEXT,
  received_at   TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_changes_by_message ON pending_changes (account, chat_id, message_id);

-- Messages that came from a Telegram Desktop export (tg import), with the export's message as it was written;
-- verified_at: when a history page of the node showed the message on Telegram (its row then holds TDLib's JSON).
CREATE TABLE IF NOT EXISTS imported_messages (
  account      TEXT    NOT NULL,
  chat_id      INTEGER NOT NULL,
  message_id   INTEGER NOT NULL,
  source       TEXT    NOT NULL,
  export_json  TEXT    NOT NULL,
  imported_at  TEXT    NOT NULL,
  verified_at  TEXT,
  PRIMARY KEY (account, chat_id, message_id)
);
