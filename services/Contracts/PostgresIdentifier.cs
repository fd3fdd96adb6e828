using Npgsql;

namespace DevLauncher.Contracts;

/// <summary>An identifier (a database's name) quoted for SQL text, where a bound parameter cannot stand.</summary>
public static class PostgresIdentifier
{
    public static string Quote(string name) => new NpgsqlCommandBuilder().QuoteIdentifier(name);
}
