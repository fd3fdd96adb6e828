using System.Text.Json;
using System.Text.Json.Serialization;

namespace DevLauncher.SchemaLoop;

public enum DevDatabaseKind
{
    /// <summary>A branch's database: the one the app uses while that branch is checked out.</summary>
    Branch,

    /// <summary>Migrations and seeds applied to an empty database, for Reset database to copy.</summary>
    Template,

    /// <summary>A database's state before the last run that applied migrations: what Undo restores.</summary>
    Undo,

    /// <summary>A snapshot taken before a run; it becomes the Undo snapshot once the run has applied something.</summary>
    UndoPending,

    /// <summary>A database Reset database, Undo or a new snapshot replaced: renamed, and dropped later by <see cref="DevServer.DropDiscardedAsync"/>.</summary>
    Discarded,

    /// <summary>
    /// A copy that Preview runs the pending migrations on, dropped when the preview ends; one whose process died is
    /// dropped by <see cref="DevServer.DropDiscardedAsync"/>.
    /// </summary>
    Preview,
}

/// <summary>
/// What the schema loop knows about one of its databases, kept in the database's own comment (<c>COMMENT ON
/// DATABASE</c>) so that it travels with the server, not with one AppHost's memory.
/// </summary>
/// <param name="Resource">The AppHost resource the database belongs to (<c>appdb</c>).</param>
public sealed record DevDatabaseMetadata(DevDatabaseKind Kind, string Resource)
{
    private const string Prefix = "devlauncher:";

    public string? Branch { get; init; }

    /// <summary>The commit a detached HEAD pointed at when the database was made.</summary>
    public string? Commit { get; init; }

    /// <summary>A template's migration and seed files, as their fingerprint.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>An Undo snapshot's database, or the database a preview copied.</summary>
    public string? Database { get; init; }

    /// <summary>An Undo snapshot's schema version, the highest applied when it was taken.</summary>
    public string? Version { get; init; }

    /// <summary>An Undo snapshot's run: the files it applied, which Undo takes back.</summary>
    public IReadOnlyList<string> Applied { get; init; } = [];

    /// <summary>A branch database's files that the last Undo took back: Undo is one level, and says so.</summary>
    public IReadOnlyList<string>? Undone { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string ToComment() => Prefix + JsonSerializer.Serialize(this, MetadataJson.Default.DevDatabaseMetadata);

    /// <returns>Null for a comment the schema loop did not write.</returns>
    public static DevDatabaseMetadata? FromComment(string? comment)
    {
        if (comment is null || !comment.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(comment[Prefix.Length..], MetadataJson.Default.DevDatabaseMetadata);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DevDatabaseMetadata))]
internal sealed partial class MetadataJson : JsonSerializerContext;
