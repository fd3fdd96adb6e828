CREATE SCHEMA shop;
CREATE TABLE shop.products (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);

-- The service's login role (DevLauncher.Hosting's WithAppDatabase connects as it; the worker sets its password).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'devlauncher_service') THEN
        CREATE ROLE devlauncher_service LOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA shop TO devlauncher_service;
ALTER DEFAULT PRIVILEGES IN SCHEMA shop GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO devlauncher_service;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA shop TO devlauncher_service;
