using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>What the start tests check in the database the app ran on.</summary>
public static class AppHostAssertions
{
    /// <summary>Exactly one history row per script in services/Migrations/Scripts, and no other row.</summary>
    public static async Task EachMigrationAppliedOnceAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var scripts = new DirectoryInfo(Path.Combine(Path.GetDirectoryName(new Projects.DevLauncher_Migrations().ProjectPath)!, "Scripts"))
            .GetFiles("*.sql")
            .Select(f => f.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(scripts);

        await using var connection = await OpenAsync(app, ResourceNames.Database, cancellationToken);
        await using var command = new NpgsqlCommand("SELECT version, script_name FROM devlauncher.schema_history ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            Assert.StartsWith(SchemaVersion.Format(reader.GetInt64(0)) + "_", reader.GetString(1), StringComparison.Ordinal);
            rows.Add(reader.GetString(1));
        }

        Assert.Equal(scripts, rows);
    }

    /// <summary>The services' connection (<c>appdb-service</c>) may read and write rows but create, alter or drop nothing.</summary>
    public static async Task ServiceRoleCannotRunDdlAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(app, $"{ResourceNames.Database}-service", cancellationToken);
        string[] ddl =
        [
            "CREATE TABLE app.intruder (id int)",
            "ALTER TABLE app.threads ADD COLUMN intruder int",
            "DROP TABLE app.messages",
            "TRUNCATE auth.users",
            "CREATE SCHEMA intruder",
        ];
        foreach (var statement in ddl)
        {
            await using var command = new NpgsqlCommand(statement, connection);
            var denied = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(cancellationToken));
            Assert.True(denied.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{statement}: {denied.SqlState} {denied.MessageText}");
        }

        await using var select = new NpgsqlCommand("SELECT count(*) FROM app.threads", connection);
        Assert.IsType<long>(await select.ExecuteScalarAsync(cancellationToken));
    }

    private static async Task<NpgsqlConnection> OpenAsync(DistributedApplication app, string resourceName, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(await app.GetConnectionStringAsync(resourceName, cancellationToken));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
