using System.Runtime.CompilerServices;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>Sends a file's statements as psql would: one after the other, COPY rows through Npgsql's text import.</summary>
internal static class StatementExecutor
{
    /// <param name="transaction">The file's transaction, or null for each statement in its own.</param>
    /// <param name="current">The statement running now, so that a failure names its line; null once they all ran.</param>
    public static async Task RunAsync(NpgsqlConnection connection, IReadOnlyList<SqlStatement> statements, NpgsqlTransaction? transaction,
        StrongBox<SqlStatement?> current, CancellationToken cancellationToken)
    {
        foreach (var statement in statements)
        {
            current.Value = statement;
            if (statement.CopyData is { } data)
            {
                await CopyAsync(connection, statement, data, cancellationToken);
            }
            else
            {
                await ExecuteAsync(connection, statement, transaction, cancellationToken);
            }
        }

        current.Value = null;
    }

    /// <remarks>
    /// One command per statement rather than the whole file in one: we then know which statement failed, to name its
    /// line. A batch of one, because Npgsql sends a batch command as it is, while it splits a command's text at its own
    /// idea of a semicolon (which cuts a BEGIN ATOMIC body apart). No timeout: a migration on a large table may
    /// legitimately run for a long time.
    /// </remarks>
    private static async Task ExecuteAsync(
        NpgsqlConnection connection, SqlStatement statement, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { new NpgsqlBatchCommand(statement.Text) }, Timeout = 0 };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The rows go to the server as psql sends them, in the file's transaction when it has one.</summary>
    private static async Task CopyAsync(NpgsqlConnection connection, SqlStatement statement, CopyData data, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginTextImportAsync(statement.Text, cancellationToken);
        await writer.WriteAsync(data.Text.AsMemory(), cancellationToken);
    }
}
