-- Development data, never embedded in the worker: the AppHost points Migrations:SeedsDirectory here only on servers
-- it runs itself. A demo user who can sign in (demo@devlauncher.dev, password devlauncher-demo) with three threads.
-- Every id and timestamp is fixed (no now(), no gen_random_uuid()), so two databases seeded at different times dump
-- the same. The hash is what auth writes at sign-up: ASP.NET Core Identity's PasswordHasher<UserAccount>, v3 format
-- (PBKDF2, HMAC-SHA512, 100,000 iterations), for the lower-cased email auth stores.
INSERT INTO auth.users (id, email, password_hash, created_at) VALUES
    ('0d5e7a10-5eed-4d00-8000-000000000001', 'demo@devlauncher.dev',
     'AQAAAAIAAYagAAAAEI0gCQoMOI9mRI6g66PW6j6+uv9uCXuerJUOYjstbzrTpqdJ36oBfTJvTAp/Q/jMYQ==',
     '2025-01-06 09:00:00+00');

-- Identity columns: the ids are given (OVERRIDING SYSTEM VALUE) and the sequences moved past them below, because a
-- seeding that failed has used up identity values (a rollback does not give them back) and a retry would get others.
INSERT INTO app.threads (id, owner_id, title, created_at) OVERRIDING SYSTEM VALUE VALUES
    (1, '0d5e7a10-5eed-4d00-8000-000000000001', 'Welcome to DevLauncher', '2025-01-06 09:05:00+00'),
    (2, '0d5e7a10-5eed-4d00-8000-000000000001', 'Release checklist', '2025-01-07 14:30:00+00'),
    (3, '0d5e7a10-5eed-4d00-8000-000000000001', 'Ideas for the next sprint', '2025-01-08 11:15:00+00');

INSERT INTO app.messages (id, thread_id, author_id, body, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
    (1, 1, '0d5e7a10-5eed-4d00-8000-000000000001', 'This thread was seeded for local development: sign in as demo@devlauncher.dev.', '2025-01-06 09:05:00+00', '2025-01-06 09:05:00+00'),
    (2, 1, '0d5e7a10-5eed-4d00-8000-000000000001', 'Post a message below to see it appear at the end of the thread.', '2025-01-06 09:06:00+00', '2025-01-06 09:06:00+00'),
    (3, 1, '0d5e7a10-5eed-4d00-8000-000000000001', 'Reset the database from the dashboard to get this data back.', '2025-01-06 09:07:00+00', '2025-01-06 09:07:00+00'),
    (4, 2, '0d5e7a10-5eed-4d00-8000-000000000001', 'Run the tests: dotnet test DevLauncher.sln.', '2025-01-07 14:30:00+00', '2025-01-07 14:30:00+00'),
    (5, 2, '0d5e7a10-5eed-4d00-8000-000000000001', 'Check the migration plan on the dashboard.', '2025-01-07 14:32:00+00', '2025-01-07 14:32:00+00'),
    (6, 3, '0d5e7a10-5eed-4d00-8000-000000000001', 'Search across threads.', '2025-01-08 11:15:00+00', '2025-01-08 11:15:00+00'),
    (7, 3, '0d5e7a10-5eed-4d00-8000-000000000001', 'Mark a thread as done.', '2025-01-08 11:20:00+00', '2025-01-08 11:20:00+00'),
    (8, 3, '0d5e7a10-5eed-4d00-8000-000000000001', 'Attach a file to a message.', '2025-01-08 11:24:00+00', '2025-01-08 11:24:00+00');

SELECT setval(pg_get_serial_sequence('app.threads', 'id'), (SELECT max(id) FROM app.threads));
SELECT setval(pg_get_serial_sequence('app.messages', 'id'), (SELECT max(id) FROM app.messages));
