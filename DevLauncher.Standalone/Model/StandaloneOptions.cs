namespace DevLauncher.Standalone.Model;

/// <summary>What the command line asked for.</summary>
public sealed record StandaloneOptions
{
    public const int DefaultPortBase = 5100;

    public int PortBase { get; init; } = DefaultPortBase;

    /// <summary>An existing server's connection string (as the database owner); null runs an embedded PostgreSQL.</summary>
    public string? Database { get; init; }

    public bool Reset { get; init; }

    public required string DataDirectory { get; init; }

    public string? ReadyFile { get; init; }

    public string? MigrationsDirectory { get; init; }

    public bool JsonLogs { get; init; }

    public bool ConsoleTraces { get; init; }

    public int FrontendPort => PortBase;

    public int AuthPort => PortBase + 1;

    public int BackendPort => PortBase + 2;
}
