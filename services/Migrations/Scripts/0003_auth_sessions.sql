-- A session keeps only the SHA-256 of its bearer token: a leaked table does not leak usable tokens.
CREATE TABLE auth.sessions (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
    token_hash bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked    boolean     NOT NULL DEFAULT false,
    CONSTRAINT sessions_token_hash_length_ck CHECK (octet_length(token_hash) = 32),
    CONSTRAINT sessions_token_hash_uq        UNIQUE (token_hash),
    CONSTRAINT sessions_expiry_ck            CHECK (expires_at > created_at)
);

CREATE INDEX sessions_user_id_idx ON auth.sessions (user_id);
