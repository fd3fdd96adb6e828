namespace DevLauncher.Contracts;

/// <summary>
/// Where a replica of the worker writes its report: <c>&lt;directory&gt;/&lt;instance&gt;.json</c>, the instance being
/// OpenTelemetry's <c>service.instance.id</c>, which Aspire sets for each replica in <c>OTEL_RESOURCE_ATTRIBUTES</c>.
/// The worker and the AppHost both call <see cref="PathIn"/> with the value each sees, so they name the same file.
/// </summary>
public static class MigrationReportFile
{
    /// <summary>The environment variable (and configuration key) that holds the resource attributes.</summary>
    public const string ResourceAttributesKey = "OTEL_RESOURCE_ATTRIBUTES";

    public const string InstanceAttribute = "service.instance.id";

    /// <summary>The instance when the attributes name none: a worker started by hand.</summary>
    public const string DefaultInstance = "worker";

    /// <param name="otelResourceAttributes">Comma-separated <c>key=value</c> pairs, values percent-encoded (OpenTelemetry's format).</param>
    public static string PathIn(string directory, string? otelResourceAttributes) =>
        Path.Combine(directory, FileName(InstanceOf(otelResourceAttributes)) + ".json");

    private static string InstanceOf(string? otelResourceAttributes)
    {
        foreach (var pair in (otelResourceAttributes ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && pair[..equals].Trim() == InstanceAttribute && Uri.UnescapeDataString(pair[(equals + 1)..].Trim()) is { Length: > 0 } instance)
            {
                return instance;
            }
        }

        return DefaultInstance;
    }

    /// <summary>The id as a file name on every OS, and never a path: anything but letters, digits, '.', '-' and '_' becomes '_'.</summary>
    private static string FileName(string instance) =>
        string.Concat(instance.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
}
