namespace DevLauncher.LocalPostgres;

internal sealed record LocalPostgresServerOptions
{
    /// <summary>
    /// The folder the server lives in: <c>data/</c> (the cluster), <c>superuser.password</c> and <c>server.log</c>.
    /// An existing cluster there is reused, so data survives between runs.
    /// </summary>
    public required string Directory { get; init; }

    /// <summary>The loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Where initdb and pg_ctl are; null finds them (env DEVLAUNCHER_PG_BIN, /usr/lib/postgresql/*/bin, PATH).</summary>
    public string? BinDirectory { get; init; }

    /// <summary>
    /// Server settings passed as <c>-c name=value</c> at every start, e.g. <c>fsync=off</c> for throw-away test clusters.
    /// Values must not contain spaces or quotes.
    /// </summary>
    public IReadOnlyDictionary<string, string> ServerSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Removes <see cref="Directory"/> when the server is disposed (test clusters).</summary>
    public bool DeleteOnDispose { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public int MaxConnections { get; init; } = 300;

    /// <summary>Settings that make a throw-away cluster faster and lose nothing a test cares about.</summary>
    public static IReadOnlyDictionary<string, string> ThrowAwaySettings { get; } = new Dictionary<string, string>
    {
        ["fsync"] = "off",
        ["synchronous_commit"] = "off",
        ["full_page_writes"] = "off",
    };
}
