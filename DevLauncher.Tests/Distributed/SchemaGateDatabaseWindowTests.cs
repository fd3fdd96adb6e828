using DevLauncher.SchemaGate;
using DevLauncher.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Gate = DevLauncher.SchemaGate.SchemaGate;

namespace DevLauncher.Tests.Distributed;

/// <summary>
/// The schema gate, in this process, on a database the schema loop makes unreachable for a moment: it waits and asks
/// again, so /health stays healthy, and says the database cannot be reached only once it stays away past its wait.
/// </summary>
public sealed class SchemaGateDatabaseWindowTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_gate_waits_for_a_database_that_refuses_connections_for_a_moment_and_answers_ready()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await AllowConnectionsAsync(database, false); // what a copy or a swap does while it works
        var waits = new ListLogger<DatabaseWindow>();
        await using var dataSource = NpgsqlDataSource.Create(database);
        using var gate = NewGate(dataSource, waits, TimeSpan.FromMinutes(1));

        var status = gate.GetStatusAsync(CancellationToken.None).AsTask();
        await WaitUntilAsync(() => waits.Lines.Count > 0 || status.IsCompleted);
        await AllowConnectionsAsync(database, true);

        Assert.True((await status).Ready, (await status).Reason);
    }

    [Fact]
    public async Task The_gate_says_the_database_cannot_be_reached_once_it_stays_away_past_the_wait()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await postgres.DropDatabaseAsync(database);
        var waits = new ListLogger<DatabaseWindow>();
        await using var dataSource = NpgsqlDataSource.Create(database);
        using var gate = NewGate(dataSource, waits, TimeSpan.FromMilliseconds(300));

        var status = await gate.GetStatusAsync(CancellationToken.None);

        Assert.False(status.Ready);
        Assert.Contains("cannot be reached: 3D000", status.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(waits.Lines); // it waited a moment before saying so
    }

    private static Gate NewGate(NpgsqlDataSource dataSource, ListLogger<DatabaseWindow> waits, TimeSpan databaseWait) =>
        new(dataSource, new DatabaseWindow(TimeProvider.System, waits),
            Options.Create(new SchemaGateOptions { RequiredVersion = 6, DatabaseWait = databaseWait }), TimeProvider.System, NullLogger<Gate>.Instance);

    private Task AllowConnectionsAsync(string database, bool allow) => Sql.ExecuteAsync(postgres.Server.GetConnectionString(),
        $"ALTER DATABASE \"{new NpgsqlConnectionStringBuilder(database).Database}\" ALLOW_CONNECTIONS {allow}");

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
