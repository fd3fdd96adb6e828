using System.Text;

namespace DevLauncher.Tests.Migrations;

/// <summary>Migration folders written the way real projects write them, one per construct, for psql parity.</summary>
public static class ParityFiles
{
    public static IReadOnlyDictionary<string, IReadOnlyList<(string Name, byte[] Content)>> All { get; } =
        new Dictionary<string, IReadOnlyList<(string, byte[])>>
        {
            ["dollar quotes with tags"] = Files(("0001_tagged.sql", """
                CREATE FUNCTION public.tagged() RETURNS text LANGUAGE plpgsql AS $fn$
                BEGIN
                  RETURN $$a;b$$ || $x$ $$ ; $x$;
                END;
                $fn$;
                CREATE TABLE public.tagged_result AS SELECT public.tagged() AS v;
                """)),
            ["nested comments and semicolons in comments"] = Files(("0001_comments.sql", """
                /* outer; /* inner; */ still a comment; DROP TABLE nothing; */
                CREATE TABLE public.nested (id int /* a; b */); -- trailing; comment
                -- a line comment; with a semicolon
                INSERT INTO public.nested VALUES (1);
                """)),
            ["DO blocks"] = Files(("0001_do.sql", """
                CREATE TABLE public.counter (n int);
                DO $$
                DECLARE i int;
                BEGIN
                  FOR i IN 1..3 LOOP
                    INSERT INTO public.counter VALUES (i);
                  END LOOP;
                END
                $$;
                DO LANGUAGE plpgsql $do$ BEGIN INSERT INTO public.counter VALUES (4); END $do$;
                """)),
            ["E'' strings and semicolons in strings and identifiers"] = Files(("0001_strings.sql", """
                CREATE TABLE public."odd;name" ("col;1" text DEFAULT 'a;b');
                INSERT INTO public."odd;name" VALUES (E'it\'s; here'), (E'back\\slash;'), ('plain ''quoted''; text'), (e'tab\there');
                COMMENT ON TABLE public."odd;name" IS 'semi; colon';
                """)),
            ["CREATE INDEX CONCURRENTLY"] = Files(
                ("0001_items.sql", "CREATE TABLE public.items (id int, v int);\nINSERT INTO public.items SELECT g, g % 7 FROM generate_series(1, 100) g;\n"),
                ("0002_items_v_idx.sql", "-- devlauncher: no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS items_v_idx ON public.items (v);\n")),
            ["SQL-standard function bodies (BEGIN ATOMIC)"] = Files(("0001_atomic.sql", """
                CREATE TABLE public.log (v text);
                CREATE FUNCTION public.add_one(i int) RETURNS int LANGUAGE sql
                BEGIN ATOMIC
                  SELECT i + 1;
                END;
                CREATE OR REPLACE PROCEDURE public.log_twice(v text) LANGUAGE sql
                BEGIN ATOMIC
                  INSERT INTO public.log VALUES (v);
                  INSERT INTO public.log VALUES (CASE WHEN v = '' THEN 'empty' ELSE v END);
                END;
                CALL public.log_twice('x');
                """)),
            ["COPY FROM stdin (finding 2)"] = Files(("0001_seed.sql", """
                CREATE TABLE public.seed (id int PRIMARY KEY, name text, note text);
                COPY public.seed (id, name, note) FROM stdin;
                1	alpha	\N
                2	semi;colon	it's
                3	back\\slash	-- not a comment
                \.
                CREATE TABLE public.notes (author text, body text);
                COPY public.notes FROM stdin WITH (FORMAT csv);
                \N,"quoted, comma"
                ann,"a ""quote"";"
                \.
                INSERT INTO public.notes VALUES ('after', 'the data');
                """)),
            ["session state of one file does not reach the next (finding 3)"] = Files(
                ("0001_baseline.sql", """
                    SET statement_timeout = 0;
                    SET client_encoding = 'UTF8';
                    SELECT pg_catalog.set_config('search_path', '', false);
                    SET timezone = 'Pacific/Auckland';
                    CREATE TABLE public.baseline (id int, at timestamptz DEFAULT '2020-01-01 00:00');
                    """),
                ("0002_unqualified.sql", """
                    CREATE TABLE unqualified (at timestamptz);
                    INSERT INTO unqualified VALUES ('2020-01-01 00:00');
                    """)),
            ["no-transaction file with its own BEGIN/COMMIT and COMMIT in a DO block"] = Files(
                ("0001_accounts.sql", """
                    -- devlauncher: no-transaction
                    BEGIN;
                    CREATE TABLE public.accounts (id int);
                    INSERT INTO public.accounts VALUES (1);
                    COMMIT;
                    CREATE INDEX CONCURRENTLY accounts_id_idx ON public.accounts (id);
                    START TRANSACTION;
                    INSERT INTO public.accounts VALUES (2);
                    ROLLBACK;
                    """),
                ("0002_batches.sql", """
                    -- devlauncher: no-transaction
                    CREATE TABLE public.batches (n int);
                    DO $$
                    BEGIN
                      FOR i IN 1..3 LOOP
                        INSERT INTO public.batches VALUES (i);
                        COMMIT;
                      END LOOP;
                    END
                    $$;
                    """)),
            ["upper-case .SQL extension and a UTF-8 BOM (finding 7)"] = Files(
                ("0001_first.sql", "CREATE TABLE public.first (v text DEFAULT 'ü');\n"),
                ("0002_second.SQL", "\uFEFFCREATE TABLE public.second (v text DEFAULT 'ß');\n")),
        };

    private static IReadOnlyList<(string, byte[])> Files(params (string Name, string Sql)[] files) =>
        [.. files.Select(f => (f.Name, Encoding.UTF8.GetBytes(f.Sql)))];
}
