namespace DevLauncher.Hosting.Postgres;

/// <summary>Where <c>postgres</c> comes from (<c>DevLauncher:Postgres:Mode</c>).</summary>
internal enum PostgresMode
{
    /// <summary>
    /// An existing server when <c>ConnectionStrings:appdb</c> is set, else the local server when PostgreSQL's programs are
    /// installed, else a container. Deciding reads files only: the container runtime is asked at start, not while the
    /// model is built.
    /// </summary>
    Auto,

    /// <summary>Aspire's PostgreSQL container, with a data volume that outlives the AppHost.</summary>
    Container,

    /// <summary>The local server: the machine's own PostgreSQL programs, run by the orchestrator as an executable.</summary>
    Local,

    /// <summary>The server <c>ConnectionStrings:appdb</c> names, as the database's owner.</summary>
    Existing,
}
