namespace DevLauncher.SchemaLoop;

/// <summary>A migration file, or the history row of one: its version, its file name and its checksum.</summary>
public sealed record VersionedFile(long Version, string FileName, string Checksum);

/// <summary>How far a database's history follows a checkout's migration files.</summary>
public static class HistoryPrefix
{
    /// <summary>
    /// How many of <paramref name="files"/> the <paramref name="history"/> has applied, in order and unchanged; null
    /// when the history is not a prefix of the files (a row whose file is gone, changed, or a version skipped), which a
    /// worker would refuse as unknown, drift or out of order.
    /// </summary>
    public static int? Length(IReadOnlyList<VersionedFile> files, IReadOnlyList<VersionedFile> history)
    {
        if (history.Count > files.Count)
        {
            return null;
        }

        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].Version != files[i].Version || !string.Equals(history[i].Checksum, files[i].Checksum, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return history.Count;
    }
}
