using DevLauncher.AppHost.Tests.Infrastructure;

namespace DevLauncher.AppHost.Tests;

/// <summary>How the orchestrator started the services: their built program, with no <c>dotnet run</c> before it.</summary>
public sealed partial class RunningAppTests
{
    [Fact]
    public async Task Each_service_runs_its_built_program_without_dotnet_run()
    {
        var model = shared.App.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var service in AppResources.Services)
        {
            var project = model.Resources.OfType<ProjectResource>().Single(r => r.Name == service).GetProjectMetadata().ProjectPath;
            var pid = await AppResources.PidOfAsync(shared.App, service, CancellationToken);
            var commandLine = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline", CancellationToken)).Split('\0');

            Assert.Equal(Path.GetFileNameWithoutExtension(project), Path.GetFileName(commandLine[0]));
            Assert.StartsWith(Path.Combine(Path.GetDirectoryName(project)!, "bin"), commandLine[0], StringComparison.Ordinal);
            Assert.DoesNotContain("run", commandLine);
        }
    }
}
