using System.ComponentModel.DataAnnotations;
using System.Globalization;
using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DevLauncher.Migrations.Hosting;

/// <summary>
/// Finds bad configuration before the host starts, as one line that names the key and the bad value (never a
/// password): once the host is starting, a binding error or a malformed connection string surfaces as an unhandled
/// exception from deep inside it, with the host's own stack trace.
/// </summary>
internal static class ConfigurationCheck
{
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
            ? null
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

        return configuration[WorkerConfiguration.PlanOnlyKey] is { } planOnly && !bool.TryParse(planOnly, out _)
            ? $"{WorkerConfiguration.PlanOnlyKey} is '{planOnly}': write true or false."
            : null;
    }
}
