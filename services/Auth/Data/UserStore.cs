using DevLauncher.Auth.Model;
using Npgsql;

namespace DevLauncher.Auth.Data;

internal sealed class UserStore(NpgsqlDataSource dataSource)
{
    /// <returns>The new user, or null when the email is taken (the unique constraint decides, so concurrent sign-ups are safe).</returns>
    public async Task<UserAccount?> CreateAsync(string email, string passwordHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO auth.users (email, password_hash) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING RETURNING id");
        command.Parameters.Add(new() { Value = email });
        command.Parameters.Add(new() { Value = passwordHash });
        return await command.ExecuteScalarAsync(cancellationToken) is Guid id ? new UserAccount(id, email, passwordHash) : null;
    }

    public async Task<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, email, password_hash FROM auth.users WHERE email = $1");
        command.Parameters.Add(new() { Value = email });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new UserAccount(reader.GetGuid(0), reader.GetString(1), reader.GetString(2))
            : null;
    }

    public async Task UpdatePasswordHashAsync(Guid userId, string passwordHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE auth.users SET password_hash = $2 WHERE id = $1");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = passwordHash });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
