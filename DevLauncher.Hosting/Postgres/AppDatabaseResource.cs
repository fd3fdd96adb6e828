namespace DevLauncher.Hosting.Postgres;

/// <summary>
/// <c>appdb</c> on a server the AppHost runs (the local server or Aspire's container). Aspire's
/// PostgresDatabaseResource names its database when the model is built; this one's name is the checkout's branch's,
/// known only when the app starts (<see cref="DatabaseName"/>). The connection string is the server's plus
/// <c>Database=</c>, the shape Aspire's has.
/// </summary>
internal sealed class AppDatabaseResource(string name, IResourceWithConnectionString server)
    : Resource(name), IResourceWithParent<IResourceWithConnectionString>, IResourceWithConnectionString, IResourceWithWaitSupport
{
    public IResourceWithConnectionString Parent { get; } = server;

    public DatabaseNameReference DatabaseName { get; } = new(name);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

/// <summary>
/// The database's name on the server, set once when the app starts (from the checkout's branch). A published manifest
/// has no branch: it names the resource's own database.
/// </summary>
internal sealed class DatabaseNameReference(string resourceName) : IValueProvider, IManifestExpressionProvider
{
    private readonly TaskCompletionSource<string> _name = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string ValueExpression => resourceName;

    /// <summary>The name once chosen; null before the app starts.</summary>
    public string? Value => _name.Task.IsCompletedSuccessfully ? _name.Task.Result : null;

    public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => await _name.Task.WaitAsync(cancellationToken);

    internal void Set(string name) => _name.TrySetResult(name);
}
