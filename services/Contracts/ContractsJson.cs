using System.Text.Json;
using System.Text.Json.Serialization;

namespace DevLauncher.Contracts;

/// <summary>Reads and writes the contracts as JSON, with one set of options on both sides.</summary>
public static class ContractsJson
{
    /// <summary>Writes to a temporary file beside <paramref name="path"/>, then moves it: a reader never sees half a report.</summary>
    public static async Task WriteReportAsync(string path, MigrationReport report, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, report, ContractsJsonContext.Default.MigrationReport, cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <returns>Null when there is no such file (the worker died before writing it).</returns>
    public static async Task<MigrationReport?> ReadReportAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync(stream, ContractsJsonContext.Default.MigrationReport, cancellationToken);
    }

    public static Task WriteHealthAsync(Stream stream, HealthDocument document, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(stream, document, ContractsJsonContext.Default.HealthDocument, cancellationToken);

    /// <returns>Null when <paramref name="json"/> is not a health document.</returns>
    public static HealthDocument? ReadHealth(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ContractsJsonContext.Default.HealthDocument);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(MigrationReport))]
[JsonSerializable(typeof(HealthDocument))]
internal sealed partial class ContractsJsonContext : JsonSerializerContext;
