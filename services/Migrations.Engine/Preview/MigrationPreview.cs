using DevLauncher.Contracts;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// What the pending migrations did on a copy of the database, statement by statement, as PostgreSQL reported it: the
/// locks each took and what they block, the tables it rewrote, the columns and tables it dropped with the values lost,
/// its time on this data, or its failure as the worker names it.
/// </summary>
public sealed class MigrationPreview
{
    /// <summary>The prefix of every property <see cref="ToProperties"/> returns.</summary>
    public const string PropertyPrefix = "preview";

    internal MigrationPreview(string currentVersion, IReadOnlyList<PreviewedMigration> migrations, MigrationFailure? refusal = null)
    {
        CurrentVersion = currentVersion;
        Migrations = migrations;
        Refusal = refusal;
    }

    /// <summary>The database's schema version before the pending migrations, formatted ("none" for an empty history).</summary>
    public string CurrentVersion { get; }

    /// <summary>The files the preview ran (or would have, after a failure), in version order.</summary>
    public IReadOnlyList<string> PendingFiles => [.. Migrations.Select(m => m.Script.FileName)];

    /// <summary>A migration failed on the copy, or the files and the history disagree (nothing ran): Apply would fail too.</summary>
    public bool Failed => Refusal is not null || Migrations.Any(m => m.Failure is not null);

    /// <summary>A migration dropped a column or a table that held values (or values it could not count).</summary>
    public bool DataLoss => Migrations.Any(m => m.DataLoss);

    internal IReadOnlyList<PreviewedMigration> Migrations { get; }

    /// <summary>Why nothing ran: drift, an unknown or out-of-order version, a file that cannot run as written.</summary>
    internal MigrationFailure? Refusal { get; }

    /// <summary>One line per pending migration: its time, data lost, rewrites, the locks that block the app, a safer form; or its failure.</summary>
    public string ToCommandMessage()
    {
        if (Refusal is not null)
        {
            return $"Nothing ran: {Refusal.Reason}";
        }

        return Migrations.Count == 0
            ? $"Nothing pending: the database is at version {CurrentVersion}, and Apply would change nothing."
            : string.Join(Environment.NewLine, Migrations.Select(m => m.Summary(FailedFile)));
    }

    /// <summary>
    /// The details as name and value, for a resource's properties: <c>preview.result</c>, <c>preview.data_loss</c>, and
    /// for each migration <c>preview.NNNN.summary</c>, <c>.time</c>, <c>.locks</c>, <c>.rewrites</c>, <c>.drops</c>,
    /// <c>.safer</c>, <c>.failure</c> and <c>.statements</c> (each statement by its line), those with something to say.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToProperties() =>
    [
        KeyValuePair.Create($"{PropertyPrefix}.result", Result()),
        KeyValuePair.Create($"{PropertyPrefix}.data_loss", DataLoss ? "yes" : "no"),
        .. Migrations.SelectMany(m => m.Properties(PropertyPrefix, FailedFile)),
    ];

    private string? FailedFile => Migrations.FirstOrDefault(m => m.Failure is not null)?.Script.FileName;

    private string Result() => Refusal is not null ? $"nothing ran: {Refusal.Summary}"
        : Migrations.Count == 0 ? $"nothing pending at version {CurrentVersion}"
        : $"{PreviewText.Count(Migrations.Count, "pending migration")} from version {CurrentVersion}" +
          (FailedFile is { } failed ? $": {failed} fails" : DataLoss ? ": data loss" : ": all ran");
}
