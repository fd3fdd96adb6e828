using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DevLauncher.Migrations.Hosting;

/// <summary>
/// Finds bad configuration before the host starts, as one line that names the key and the bad value (never a
/// password): once the host is starting, a binding error or a malformed connection string surfaces as an unhandled
/// exception from deep inside it, with the host's own stack trace.
/// </summary>
internal static class ConfigurationCheck
{
    private const string ConnectionStringKey = $"ConnectionStrings:{ResourceNames.Database}";

    /// <returns>Null when the worker can start, else what is wrong.</returns>
    public static string? Error(IServiceProvider services)
    {
        if (UnparsableValue(services.GetRequiredService<IConfiguration>()) is { } unparsable)
        {
            return unparsable;
        }

        var options = services.GetRequiredService<IOptions<MigrationOptions>>().Value;
        var results = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)
            ? ConnectionStringError(options.ConnectionString!)
            : string.Join(" ", results.Select(r => r.ErrorMessage));
    }

    /// <summary>Values the options binder would throw on, with its stack trace, before the host even starts.</summary>
    private static string? UnparsableValue(IConfiguration configuration)
    {
        var lockTimeoutKey = $"{MigrationOptions.SectionName}:{nameof(MigrationOptions.LockTimeout)}";
        if (configuration[lockTimeoutKey] is { } raw && !TimeSpan.TryParse(raw, CultureInfo.InvariantCulture, out _))
        {
            return $"{lockTimeoutKey} is '{raw}', which is not a time span: write hh:mm:ss, e.g. 00:01:00.";
        }

        return configuration[WorkerSettings.PlanOnlyKey] is { } planOnly && !bool.TryParse(planOnly, out _)
            ? $"{WorkerSettings.PlanOnlyKey} is '{planOnly}': write true or false."
            : null;
    }

    /// <summary>Each key and value of the connection string as Npgsql would take it; a password is never repeated.</summary>
    public static string? ConnectionStringError(string connectionString)
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
