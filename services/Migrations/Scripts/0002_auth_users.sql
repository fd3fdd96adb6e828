-- Users sign in with an email; it is stored lower-cased so uniqueness is case-insensitive by construction.
CREATE TABLE auth.users (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text        NOT NULL,
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_lower_ck  CHECK (email = lower(email)),
    CONSTRAINT users_email_length_ck CHECK (char_length(email) BETWEEN 3 AND 320),
    CONSTRAINT users_email_uq        UNIQUE (email)
);
