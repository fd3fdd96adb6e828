using DevLauncher.Contracts;
using DevLauncher.Tests.Infrastructure;
using Npgsql;

namespace DevLauncher.Tests.Security;

/// <summary>The services connect as a role that can use rows but cannot change the schema, even by mistake.</summary>
public sealed class ServiceRoleTests(PostgresFixture postgres)
{
    public static TheoryData<string> SchemaChanges =>
    [
        "CREATE TABLE app.sneaky (id int)",
        "CREATE TABLE public.sneaky (id int)",
        "CREATE SCHEMA sneaky",
        "ALTER TABLE app.threads ADD COLUMN sneaky int",
        "DROP TABLE app.messages",
        "TRUNCATE auth.users",
        "CREATE INDEX sneaky_idx ON app.threads (title)",
        "INSERT INTO devlauncher.schema_history (version, description, script_name, checksum, applied_by, execution_ms) VALUES (999, 'x', 'x', 'x', 'x', 0)",
        "DELETE FROM devlauncher.schema_history",
    ];

    [Theory]
    [MemberData(nameof(SchemaChanges))]
    public async Task The_service_role_cannot_change_the_schema_or_the_history(string sql)
    {
        var database = postgres.AsServiceRole(await postgres.CreateMigratedDatabaseAsync());

        var error = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(database, sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task The_service_role_may_change_rows()
    {
        var database = postgres.AsServiceRole(await postgres.CreateMigratedDatabaseAsync());

        await Sql.ExecuteAsync(database, """
            WITH u AS (INSERT INTO auth.users (email, password_hash) VALUES ('a@example.com', 'h') RETURNING id),
                 t AS (INSERT INTO app.threads (owner_id, title) SELECT id, 'hello' FROM u RETURNING id, owner_id)
            INSERT INTO app.messages (thread_id, author_id, body) SELECT id, owner_id, 'first' FROM t;
            UPDATE app.messages SET body = 'edited';
            """);

        Assert.Equal("edited", await Sql.ScalarAsync<string>(database, "SELECT body FROM app.messages"));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(database, "DELETE FROM auth.users RETURNING 1::bigint"));
    }

    [Fact]
    public async Task The_service_role_reads_the_schema_version()
    {
        var database = postgres.AsServiceRole(await postgres.CreateMigratedDatabaseAsync());

        Assert.True(await Sql.ScalarAsync<long>(database, "SELECT max(version) FROM devlauncher.schema_history") >= 7);
    }

    [Fact]
    public async Task The_worker_sets_the_service_password_from_configuration_without_printing_it()
    {
        // A server of its own: the role is cluster-wide, and rotating its password on the shared test server would lock
        // out the services of the tests running beside this one.
        await using var server = await ThrowAwayServer.StartAsync("rotation");
        await server.CreateDatabaseAsync("rotation");
        var database = server.GetConnectionString("rotation");
        const string first = "first-password-9c1e";
        const string rotated = "rotated-password-7f3a";
        Assert.Equal(0, (await InProcessWorker.RunAsync(database, servicePassword: first)).ExitCode);

        await using var worker = ChildProcess.StartDotnet(
            RepositoryPaths.ProjectDll("services/Migrations", "DevLauncher.Migrations"),
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__appdb"] = database,
                ["Database__ServicePassword"] = rotated,
                ["Logging__LogLevel__Default"] = "Trace",
            });
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, worker.Output);
        Assert.Contains("nothing to apply", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated, worker.Output, StringComparison.Ordinal);
        Assert.Equal(ServiceRole.Name, await Sql.ScalarAsync<string>(PostgresFixture.AsServiceRole(database, rotated), "SELECT current_user::text"));
        var stale = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync<string>(PostgresFixture.AsServiceRole(database, first), "SELECT current_user::text"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, stale.SqlState);
    }
}
