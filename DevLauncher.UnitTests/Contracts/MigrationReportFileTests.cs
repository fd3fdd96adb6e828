using DevLauncher.Contracts;

namespace DevLauncher.UnitTests.Contracts;

/// <summary>The one rule the worker and the AppHost share for where a replica's report is.</summary>
public sealed class MigrationReportFileTests
{
    private static readonly string Reports = Path.Combine(Path.GetTempPath(), "reports");

    [Theory]
    [InlineData("service.instance.id=migrations-x7k2p", "migrations-x7k2p.json")]
    [InlineData("service.name=migrations, service.instance.id = migrations-x7k2p ,deployment.environment=dev", "migrations-x7k2p.json")]
    [InlineData("service.instance.id=migrations%2Dx7k2p", "migrations-x7k2p.json")]
    public void The_file_is_named_after_the_service_instance_id(string attributes, string fileName) =>
        Assert.Equal(Path.Combine(Reports, fileName), MigrationReportFile.PathIn(Reports, attributes));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("service.name=migrations")]
    [InlineData("service.instance.id=")]
    public void Without_a_service_instance_id_the_file_is_worker_json(string? attributes) =>
        Assert.Equal(Path.Combine(Reports, "worker.json"), MigrationReportFile.PathIn(Reports, attributes));

    [Fact]
    public void An_instance_id_that_is_not_a_plain_file_name_cannot_leave_the_directory() =>
        Assert.Equal(Path.Combine(Reports, ".._etc_x_y.json"), MigrationReportFile.PathIn(Reports, "service.instance.id=../etc/x%3Ay"));
}
