-- The services' login role: it reads and writes the rows of auth and app, and reads the schema history (the schema
-- gate), but owns nothing and can create, alter or drop nothing. Only the worker, as the owner, changes the schema.
-- Its password is not in this file: the worker sets it from Database:ServicePassword after every run.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'devlauncher_service') THEN
        CREATE ROLE devlauncher_service LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA auth, app TO devlauncher_service;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA auth, app TO devlauncher_service;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA auth, app TO devlauncher_service;

-- Tables and sequences later migrations create are the services' to use too, without a GRANT in every migration.
ALTER DEFAULT PRIVILEGES IN SCHEMA auth, app GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO devlauncher_service;
ALTER DEFAULT PRIVILEGES IN SCHEMA auth, app GRANT USAGE, SELECT ON SEQUENCES TO devlauncher_service;

GRANT USAGE ON SCHEMA devlauncher TO devlauncher_service;
GRANT SELECT ON devlauncher.schema_history TO devlauncher_service;

-- PostgreSQL 15 already denies this; older servers let every role create objects in public.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
