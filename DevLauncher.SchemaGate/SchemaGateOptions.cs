using System.ComponentModel.DataAnnotations;

namespace DevLauncher.SchemaGate;

internal sealed class SchemaGateOptions
{
    public const string SectionName = "SchemaGate";

    /// <summary>The schema version (the number of a migration file) this service's queries need.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "SchemaGate:RequiredVersion must be a migration version (1 or more).")]
    public long RequiredVersion { get; set; }

    /// <summary>
    /// How long the gate keeps an answer: it asks the database at most once per interval, and only when a request or
    /// <c>/health</c> needs the answer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the gate waits for a database that the schema loop copies or swaps (<see cref="DatabaseWindow"/>)
    /// before it says the database cannot be reached.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan DatabaseWait { get; set; } = DatabaseWindow.DefaultPatience;
}
