-- devlauncher: no-transaction
-- Built CONCURRENTLY so that on a database with data the messages table stays writable meanwhile.
-- PostgreSQL refuses CONCURRENTLY inside a transaction, hence the marker above: each statement runs on its own.
CREATE INDEX CONCURRENTLY messages_thread_created_idx ON app.messages (thread_id, created_at, id);
