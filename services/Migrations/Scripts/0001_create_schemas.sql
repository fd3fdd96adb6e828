-- The two schemas the services own rows in. Only the migration worker creates or changes objects.
CREATE SCHEMA IF NOT EXISTS auth;
CREATE SCHEMA IF NOT EXISTS app;
