using System.Text.Json;
using DevLauncher.AppHost.Tests.Infrastructure;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// What users and careless or hostile clients do to a running system, and what it leaves behind, on one app started
/// for the whole class (<see cref="SharedApp"/>): none of these tests stops or breaks anything, and one start costs
/// more than most of them. Split over files by subject (RunningAppTests.*.cs).
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed partial class RunningAppTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    private AppEndpoints App => shared.Endpoints;

    private ApiClient NewApiClient() => new(shared.Endpoints, CancellationToken);

    private FrontendSession NewFrontendSession() => new(shared.Endpoints.Frontend, CancellationToken);

    /// <summary>A ProblemDetails body that says why: its validation errors, its detail or at least its title.</summary>
    private static void AssertHasReason(string problemJson)
    {
        var problem = JsonDocument.Parse(problemJson).RootElement;
        var reason = problem.TryGetProperty("errors", out var errors) ? errors.ToString()
            : problem.TryGetProperty("detail", out var detail) ? detail.GetString()
            : problem.GetProperty("title").GetString();
        Assert.False(string.IsNullOrWhiteSpace(reason), problemJson);
    }
}
