using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Distributed;

/// <summary>One running system (Standalone host on a fresh database of the test server) for the tests that only use it.</summary>
public sealed class SharedSystemFixture(PostgresFixture postgres) : IAsyncLifetime
{
    public StandaloneHost Host { get; private set; } = null!;

    public ReadyInfo Ready { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = StandaloneHost.Start(await postgres.CreateDatabaseAsync(), "--json-logs", "--console-traces");
        Ready = await Host.WaitUntilReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}
