namespace DevLauncher.AppHost.Postgres;

/// <summary>Where <c>postgres</c> comes from (<c>DevLauncher:Postgres:Mode</c>).</summary>
public enum PostgresMode
{
    /// <summary>An existing server when <c>ConnectionStrings:appdb</c> is set, else a container when a healthy container runtime answers, else local.</summary>
    Auto,

    /// <summary>Aspire's PostgreSQL container, with a data volume that outlives the AppHost.</summary>
    Container,

    /// <summary>The machine's own PostgreSQL programs, run by the orchestrator as an executable.</summary>
    Local,

    /// <summary>The server <c>ConnectionStrings:appdb</c> names, as the database's owner.</summary>
    Existing,
}
