namespace DevLauncher.LocalPostgres;

/// <summary>
/// What the server's user can reach, asked as that user: <c>test -x</c> run through <c>runuser</c>, so the kernel
/// decides with everything it weighs (owner, group and supplementary groups, ACLs, every folder on the way) instead of
/// our reading of modes and owners, which would miss ACLs and group membership.
/// </summary>
internal static class FolderAccess
{
    // Walks the folders in the order given and stops at the first the user cannot enter; stat still works on it, since
    // the folders before it (its ancestors) were enterable. Prints "<index> <mode> <owner>", or nothing.
    private const string FirstNotEnterableScript = """
        i=0
        for folder do
          if ! test -x "$folder"; then
            echo "$i $(stat -c '%a %U' -- "$folder")"
            exit 0
          fi
          i=$((i + 1))
        done
        """;

    private const string OwnFolderScript = """
        if test -d "$1" && test -O "$1" && test -x "$1"; then echo yes; fi
        """;

    /// <summary>
    /// The first of <paramref name="folders"/> (given from the root down) that the server's user cannot enter, or null
    /// when it can enter them all.
    /// </summary>
    public static async Task<BlockedFolder?> FirstNotEnterableAsync(IReadOnlyList<string> folders, CancellationToken cancellationToken)
    {
        var output = await CommandRunner.RunAsync("/bin/sh", ["-c", FirstNotEnterableScript, "sh", .. folders], cancellationToken);
        var fields = output.Trim().Split(' ', 3);
        if (fields[0].Length == 0)
        {
            return null;
        }

        var folder = folders[int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture)];
        return new BlockedFolder(folder, fields.Length > 1 ? fields[1].PadLeft(4, '0') : "unknown", fields.Length > 2 ? fields[2] : "unknown");
    }

    /// <summary>True when <paramref name="folder"/> is a folder the server's user owns and can enter.</summary>
    public static async Task<bool> IsOwnFolderAsync(string folder, CancellationToken cancellationToken) =>
        (await CommandRunner.RunAsync("/bin/sh", ["-c", OwnFolderScript, "sh", folder], cancellationToken)).Trim() == "yes";
}

/// <summary>A folder the server's user cannot enter, with what a person needs to see why.</summary>
internal sealed record BlockedFolder(string Path, string Mode, string Owner)
{
    public override string ToString() => $"{Path} (mode {Mode}, owner {Owner})";
}
