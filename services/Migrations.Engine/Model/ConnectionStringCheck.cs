using System.Data.Common;
using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// A malformed connection string as one line that names the key and the bad value (never a password), before Npgsql
/// throws on it from deep inside a data source.
/// </summary>
internal static class ConnectionStringCheck
{
    private const string ConnectionStringKey = $"ConnectionStrings:{ResourceNames.Database}";

    /// <summary>Each key and value of the connection string as Npgsql would take it; a password is never repeated.</summary>
    public static string? Error(string connectionString)
    {
        var pairs = new DbConnectionStringBuilder();
        try
        {
            pairs.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return $"{ConnectionStringKey} is not a connection string: it must be Key=Value pairs separated by semicolons (look for an unclosed quote).";
        }

        var npgsql = new NpgsqlConnectionStringBuilder();
        return pairs.Keys.Cast<string>()
            .Select(lowerCaseKey => PairError(npgsql, AsWritten(connectionString, lowerCaseKey), pairs[lowerCaseKey]))
            .FirstOrDefault(error => error is not null);
    }

    /// <summary>Why Npgsql would refuse the key or its value, naming the key as written and never a password.</summary>
    private static string? PairError(NpgsqlConnectionStringBuilder npgsql, string key, object value)
    {
        if (!npgsql.ContainsKey(key))
        {
            return $"{ConnectionStringKey}: unknown keyword '{key}'.";
        }

        try
        {
            npgsql[key] = value;
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            var shown = key.Contains("pass", StringComparison.OrdinalIgnoreCase) ? "" : $" '{value}'";
            return $"{ConnectionStringKey}: {key}{shown} is not a valid value for {key}.";
        }
    }

    /// <summary>DbConnectionStringBuilder lower-cases keys; the message names the key as the user wrote it.</summary>
    private static string AsWritten(string connectionString, string key)
    {
        var at = connectionString.IndexOf(key, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? key : connectionString.Substring(at, key.Length);
    }
}
