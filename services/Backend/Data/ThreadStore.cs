using DevLauncher.Backend.Model;
using Npgsql;

namespace DevLauncher.Backend.Data;

internal sealed class ThreadStore(NpgsqlDataSource dataSource)
{
    public async Task<ThreadResponse> CreateThreadAsync(Guid ownerId, string title, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO app.threads (owner_id, title, created_at) VALUES ($1, $2, $3) RETURNING id");
        command.Parameters.Add(new() { Value = ownerId });
        command.Parameters.Add(new() { Value = title });
        command.Parameters.Add(new() { Value = now });
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new ThreadResponse(id, title, now);
    }

    public async Task<IReadOnlyList<ThreadResponse>> ListThreadsAsync(Guid ownerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, title, created_at FROM app.threads WHERE owner_id = $1 ORDER BY created_at DESC, id DESC LIMIT 500");
        command.Parameters.Add(new() { Value = ownerId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var threads = new List<ThreadResponse>();
        while (await reader.ReadAsync(cancellationToken))
        {
            threads.Add(new ThreadResponse(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return threads;
    }

    /// <summary>Null when the thread does not exist or belongs to someone else: both are a 404 to the caller.</summary>
    public async Task<ThreadResponse?> FindOwnedThreadAsync(long threadId, Guid ownerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, title, created_at FROM app.threads WHERE id = $1 AND owner_id = $2");
        command.Parameters.Add(new() { Value = threadId });
        command.Parameters.Add(new() { Value = ownerId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ThreadResponse(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    public async Task<MessageResponse> AddMessageAsync(long threadId, Guid authorId, string authorEmail, string body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO app.messages (thread_id, author_id, body, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id");
        command.Parameters.Add(new() { Value = threadId });
        command.Parameters.Add(new() { Value = authorId });
        command.Parameters.Add(new() { Value = body });
        command.Parameters.Add(new() { Value = now });
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new MessageResponse(id, threadId, authorId, authorEmail, body, now);
    }

    public async Task<IReadOnlyList<MessageResponse>> ListMessagesAsync(long threadId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT m.id, m.thread_id, m.author_id, u.email, m.body, m.created_at
            FROM app.messages m JOIN auth.users u ON u.id = m.author_id
            WHERE m.thread_id = $1
            ORDER BY m.created_at, m.id
            LIMIT 1000
            """);
        command.Parameters.Add(new() { Value = threadId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var messages = new List<MessageResponse>();
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new MessageResponse(reader.GetInt64(0), reader.GetInt64(1), reader.GetGuid(2), reader.GetString(3),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return messages;
    }
}
