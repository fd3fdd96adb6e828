using System.Buffers.Text;
using System.Security.Cryptography;
using DevLauncher.Auth.Model;
using Npgsql;

namespace DevLauncher.Auth.Data;

/// <summary>
/// Sessions are bearer tokens of 256 random bits. Only their SHA-256 is stored, so a copy of the table is no key to
/// anyone's account.
/// </summary>
internal sealed class SessionStore(NpgsqlDataSource dataSource)
{
    public async Task<SessionResponse> CreateAsync(Guid userId, DateTimeOffset now, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var token = RandomNumberGenerator.GetBytes(32);
        var expiresAt = now + lifetime;
        await using var command = dataSource.CreateCommand(
            "INSERT INTO auth.sessions (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = SHA256.HashData(token) });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = expiresAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new SessionResponse(Base64Url.EncodeToString(token), expiresAt);
    }

    /// <returns>The session's user, or null when the token is unknown, revoked or expired.</returns>
    public async Task<CurrentSessionResponse?> FindActiveAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (TokenHash(token) is not { } hash)
        {
            return null;
        }

        await using var command = dataSource.CreateCommand("""
            SELECT s.user_id, u.email, s.expires_at
            FROM auth.sessions s JOIN auth.users u ON u.id = s.user_id
            WHERE s.token_hash = $1 AND NOT s.revoked AND s.expires_at > $2
            """);
        command.Parameters.Add(new() { Value = hash });
        command.Parameters.Add(new() { Value = now });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new CurrentSessionResponse(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    public async Task<bool> RevokeAsync(string token, CancellationToken cancellationToken)
    {
        if (TokenHash(token) is not { } hash)
        {
            return false;
        }

        await using var command = dataSource.CreateCommand("UPDATE auth.sessions SET revoked = true WHERE token_hash = $1 AND NOT revoked");
        command.Parameters.Add(new() { Value = hash });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Null for anything that is not a well-formed token: no query is spent on garbage.</summary>
    private static byte[]? TokenHash(string token)
    {
        if (token.Length != 43)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[32];
        return Base64Url.TryDecodeFromChars(token, bytes, out var written) && written == 32 ? SHA256.HashData(bytes) : null;
    }
}
