-- devlauncher: no-transaction
-- Built CONCURRENTLY so that on a database with data the messages table stays writable meanwhile. PostgreSQL refuses
-- CONCURRENTLY inside a transaction, hence the marker above. IF NOT EXISTS makes a rerun safe when a worker died after
-- the build but before its history row; an INVALID leftover of an interrupted build is dropped by the worker first.
CREATE INDEX CONCURRENTLY IF NOT EXISTS messages_thread_created_idx ON app.messages (thread_id, created_at, id);
