using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DevLauncher.AppHost.Tests;

/// <summary>A service's health on the dashboard: its own <c>/health</c>, in the words of its checks.</summary>
public sealed partial class DashboardModelTests
{
    [Theory]
    [MemberData(nameof(Modes))]
    internal void Each_services_health_check_is_the_one_that_reads_its_health_document(PostgresMode mode) =>
        Assert.All(AppResources.Services, service =>
            Assert.Equal([$"{service}_health"], models[mode].Resource(service).Annotations.OfType<HealthCheckAnnotation>().Select(h => h.Key)));

    [Fact]
    public void An_unhealthy_service_shows_the_words_of_its_failing_checks()
    {
        var waiting = new HealthDocument("Unhealthy",
            [new("self", "Healthy", null), new("schema", "Unhealthy", SchemaGateReason.Versions(6, 3)), new("npgsql", "Unhealthy", null)]);

        var health = GateHealthCheck.Describe(HttpStatusCode.ServiceUnavailable, waiting);

        Assert.Equal((HealthStatus.Unhealthy, "needs schema 0006, database has 0003; npgsql is Unhealthy"), (health.Status, health.Description));
    }

    [Fact]
    public void A_healthy_service_shows_the_words_of_its_checks()
    {
        var ready = new HealthDocument("Healthy", [new("self", "Healthy", null), new("schema", "Healthy", SchemaGateReason.Versions(6, 7))]);

        var health = GateHealthCheck.Describe(HttpStatusCode.OK, ready);

        Assert.Equal((HealthStatus.Healthy, "needs schema 0006, database has 0007"), (health.Status, health.Description));
    }

    [Fact]
    public void A_health_answer_that_is_not_a_health_document_shows_its_status_code()
    {
        var health = GateHealthCheck.Describe(HttpStatusCode.InternalServerError, ContractsJson.ReadHealth("<html>oops</html>"));

        Assert.Equal((HealthStatus.Unhealthy, "/health answered 500"), (health.Status, health.Description));
    }
}
