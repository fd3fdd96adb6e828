CREATE TABLE app.messages (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id  bigint      NOT NULL REFERENCES app.threads (id) ON DELETE CASCADE,
    author_id  uuid        NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT messages_body_length_ck CHECK (char_length(body) BETWEEN 1 AND 4000)
);
