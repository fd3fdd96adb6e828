using System.Text.Json;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <param name="IsError">OTLP status code 2 (STATUS_CODE_ERROR).</param>
public sealed record SpanSummary(string Name, bool IsError);

/// <summary>Reads spans back from the dashboard's telemetry API (<c>/api/telemetry/spans</c>, OTLP JSON).</summary>
public static class DashboardTelemetry
{
    public static async Task<List<SpanSummary>> WaitForSpansAsync(
        HttpClient dashboard, string resource, Func<HashSet<string>, bool> enough, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var spans = await ReadSpansAsync(dashboard, resource, deadline.Token);
            if (enough(spans.Select(s => s.Name).ToHashSet()))
            {
                return spans;
            }

            // Exporters batch their spans; the worker's arrive when it flushes on exit.
            await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token);
        }
    }

    private static async Task<List<SpanSummary>> ReadSpansAsync(HttpClient dashboard, string resource, CancellationToken cancellationToken)
    {
        using var response = await dashboard.GetAsync($"/api/telemetry/spans?resource={Uri.EscapeDataString(resource)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return []; // no telemetry from that resource yet
        }

        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var spans = new List<SpanSummary>();
        Collect(document.RootElement, spans);
        return spans;
    }

    /// <summary>Every object in a <c>spans</c> array, wherever the OTLP envelope nests it.</summary>
    private static void Collect(JsonElement element, List<SpanSummary> spans)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.NameEquals("spans") && property.Value.ValueKind == JsonValueKind.Array)
                {
                    spans.AddRange(property.Value.EnumerateArray().Select(Summarize));
                }
                else
                {
                    Collect(property.Value, spans);
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, spans);
            }
        }
    }

    private static SpanSummary Summarize(JsonElement span)
    {
        var isError = span.TryGetProperty("status", out var status)
            && status.TryGetProperty("code", out var code)
            && (code.ValueKind == JsonValueKind.Number ? code.GetInt32() == 2 : code.GetString() is "STATUS_CODE_ERROR" or "2");
        return new SpanSummary(span.GetProperty("name").GetString() ?? "", isError);
    }
}
