using DevLauncher.Tests.Infrastructure;
using Npgsql;

namespace DevLauncher.Tests.Distributed;

/// <summary>
/// What Npgsql does with a service's pool when the AppHost swaps the database under it (DROP DATABASE ... WITH (FORCE),
/// then a copy). The services rely on it: every failure is an NpgsqlException, which their exception handler and the
/// schema gate answer with 503, and the pool recovers without help (Npgsql clears it when a connection breaks this way).
/// </summary>
public sealed class PooledConnectionSwapTests(PostgresFixture postgres)
{
    private const int IdleConnections = 4;

    [Fact]
    public async Task An_idle_pooled_connection_ended_by_a_swap_fails_its_next_command_with_admin_shutdown()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var dataSource = await PoolWithIdleConnectionsAsync(database);

        await postgres.SwapDatabaseAsync(database);

        var error = await Assert.ThrowsAsync<PostgresException>(() => SelectOneAsync(dataSource));
        Assert.Equal(PostgresErrorCodes.AdminShutdown, error.SqlState);
    }

    [Fact]
    public async Task A_new_connection_while_the_database_is_gone_fails_with_invalid_catalog_name()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await postgres.DropDatabaseAsync(database);
        await using var dataSource = NpgsqlDataSource.Create(database);

        var error = await Assert.ThrowsAsync<PostgresException>(() => SelectOneAsync(dataSource));
        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, error.SqlState);
    }

    [Fact]
    public async Task After_one_command_fails_on_a_swapped_database_the_pool_hands_out_only_working_connections()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var dataSource = await PoolWithIdleConnectionsAsync(database);
        await postgres.SwapDatabaseAsync(database);
        await Assert.ThrowsAsync<PostgresException>(() => SelectOneAsync(dataSource));

        // One at a time, so that each command would take one of the other idle connections if the pool still held them.
        for (var i = 0; i < IdleConnections; i++)
        {
            Assert.Equal(1, await SelectOneAsync(dataSource));
        }
    }

    /// <summary>A pool as a busy service leaves it: several sessions open, all idle.</summary>
    private static async Task<NpgsqlDataSource> PoolWithIdleConnectionsAsync(string database)
    {
        var dataSource = NpgsqlDataSource.Create(database);
        var connections = await Task.WhenAll(Enumerable.Range(0, IdleConnections).Select(_ => dataSource.OpenConnectionAsync().AsTask()));
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        return dataSource;
    }

    private static async Task<int> SelectOneAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
