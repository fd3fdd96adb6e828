namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// The AppHost started as the README tells a script to start it (its own process, as <c>dotnet run</c> does) for a
/// class of CLI tests, on a data folder and a checkout of its own. Not <c>aspire start</c>: that also creates and trusts
/// a developer certificate for the user, which would change how every later AppHost on the machine starts.
/// </summary>
public sealed class CliRunningApp : IAsyncLifetime
{
    private readonly KeptDataFolder _data = new();
    private readonly GitCheckoutFolder _checkout = GitCheckoutFolder.OnBranch("cli");
    private CliAppHost? _apphost;

    public async ValueTask InitializeAsync() => _apphost = await CliAppHost.StartAsync(_data, _checkout, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_apphost is not null)
        {
            await _apphost.DisposeAsync();
        }

        _checkout.Dispose();
        _data.Dispose();
    }
}
