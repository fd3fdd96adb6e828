CREATE TABLE app.threads (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id   uuid        NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
    title      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT threads_title_length_ck CHECK (char_length(title) BETWEEN 1 AND 200)
);

-- "My threads, newest first" is the backend's most frequent query.
CREATE INDEX threads_owner_created_idx ON app.threads (owner_id, created_at DESC, id DESC);
