using System.Text.Json;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <param name="Resource">The <c>service.name</c> the record came with.</param>
public sealed record LogRecord(string Resource, string Body, string TraceId);

/// <summary>
/// Everything the dashboard's telemetry API (<c>/api/telemetry/spans</c>, <c>/logs</c>, OTLP JSON) holds, read with the
/// dashboard's API key.
/// </summary>
public sealed class TelemetryApi(HttpClient dashboard)
{
    // The API answers with the newest 200 unless asked for more; a scan of "every span" must ask for all of them.
    private const int All = 1_000_000;

    public Task<string> SpansJsonAsync(CancellationToken cancellationToken) => GetAsync($"/api/telemetry/spans?limit={All}", cancellationToken);

    public Task<string> LogsJsonAsync(CancellationToken cancellationToken) => GetAsync($"/api/telemetry/logs?limit={All}", cancellationToken);

    public async Task<IReadOnlyList<LogRecord>> LogsAsync(CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await LogsJsonAsync(cancellationToken));
        var records = new List<LogRecord>();
        foreach (var resourceLogs in Arrays(document.RootElement, "resourceLogs"))
        {
            var service = ServiceName(resourceLogs);
            records.AddRange(Arrays(resourceLogs, "logRecords").Select(r => new LogRecord(service, Text(r, "body"), Text(r, "traceId"))));
        }

        return records;
    }

    /// <summary>
    /// The log records once <paramref name="enough"/> holds for them, or when <paramref name="timeout"/> has passed (the
    /// caller's assertions then say what is missing): exporters send in batches, seconds apart.
    /// </summary>
    public async Task<IReadOnlyList<LogRecord>> WaitForLogsAsync(Func<IReadOnlyList<LogRecord>, bool> enough, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var records = await LogsAsync(cancellationToken);
        while (!enough(records) && !deadline.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            records = await LogsAsync(cancellationToken);
        }

        return records;
    }

    private async Task<string> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await dashboard.GetAsync(path, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>The items of every array property with this name, wherever the OTLP envelope nests it.</summary>
    private static IEnumerable<JsonElement> Arrays(JsonElement element, string name) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.NameEquals(name) && p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray() : Arrays(p.Value, name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(e => Arrays(e, name)),
        _ => [],
    };

    private static string ServiceName(JsonElement resourceLogs) =>
        Arrays(resourceLogs.GetProperty("resource"), "attributes")
            .Where(a => a.GetProperty("key").GetString() == "service.name")
            .Select(a => Text(a, "value"))
            .FirstOrDefault() ?? "";

    /// <summary>A string property, or an OTLP AnyValue's <c>stringValue</c>.</summary>
    private static string Text(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? ""
        : value.ValueKind == JsonValueKind.String ? value.GetString() ?? ""
        : value.TryGetProperty("stringValue", out var text) ? text.GetString() ?? "" : value.ToString();
}
