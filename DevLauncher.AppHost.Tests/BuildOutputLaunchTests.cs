using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;
using DevLauncher.Hosting.Start;
using Microsoft.Extensions.Logging.Abstractions;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The worker and the services start the program their build left (what <c>dotnet run --no-build</c> would run),
/// without <c>dotnet run</c>'s evaluation of the project; read on the model, and on the files where the SDK puts them.
/// </summary>
public sealed class BuildOutputLaunchTests
{
    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    private static readonly string[] Projects = [ResourceNames.Migrations, ResourceNames.Auth, ResourceNames.Backend, ResourceNames.Frontend];

    [Fact]
    public async Task The_worker_and_the_services_start_their_built_program()
    {
        await using var host = await ExistingServerModelAsync([]);

        Apply(host);

        foreach (var name in Projects)
        {
            var project = Assert.IsType<ProjectResource>(host.Resource(name));
            var folder = Path.GetDirectoryName(project.GetProjectMetadata().ProjectPath)!;
            var program = Assert.Single(project.Annotations.OfType<ExecutableAnnotation>());
            Assert.Equal((Path.Combine(folder, "bin", Configuration(host), "net10.0", Path.GetFileNameWithoutExtension(project.GetProjectMetadata().ProjectPath)), folder),
                (program.Command, program.WorkingDirectory));
            Assert.True(File.Exists(program.Command), program.Command);
        }
    }

    [Theory]
    [InlineData("--DevLauncher:LaunchFromBuildOutput=false")]
    [InlineData("--DEBUG_SESSION_PORT=localhost:5678")]
    [InlineData("--DOTNET_WATCH=true")]
    public async Task The_setting_an_IDE_session_or_dotnet_watch_leave_the_projects_to_dotnet_run(string argument)
    {
        await using var host = await ExistingServerModelAsync([argument]);

        Apply(host);

        Assert.All(Projects, name => Assert.Empty(host.Resource(name).Annotations.OfType<ExecutableAnnotation>()));
    }

    [Fact]
    public async Task A_bad_value_of_the_setting_is_refused_naming_its_key()
    {
        await using var host = await ExistingServerModelAsync(["--DevLauncher:LaunchFromBuildOutput=sometimes"]);

        var refused = Assert.Throws<DevLauncherStartException>(() => Apply(host));

        Assert.Equal("DevLauncher:LaunchFromBuildOutput is 'sometimes': write true or false.", refused.Message);
    }

    [Fact]
    public void The_program_is_found_where_the_SDK_puts_it()
    {
        using var project = FakeProject.Create();

        Assert.Equal(project.Program("net10.0"), BuildOutputProgram.Find(project.ProjectPath, "Debug"));
        Assert.Null(BuildOutputProgram.Find(project.ProjectPath, "Release"));
    }

    [Fact]
    public void No_program_is_chosen_between_two_target_frameworks()
    {
        using var project = FakeProject.Create();
        project.Build("net9.0");

        Assert.Null(BuildOutputProgram.Find(project.ProjectPath, "Debug"));
    }

    [Fact]
    public void A_build_without_its_apphost_is_left_to_dotnet_run()
    {
        using var project = FakeProject.Create();
        File.Delete(project.Program("net10.0"));

        Assert.Null(BuildOutputProgram.Find(project.ProjectPath, "Debug"));
    }

    [Fact]
    public void A_program_older_than_what_the_compiler_last_wrote_is_never_started()
    {
        using var project = FakeProject.Create();
        // The project's AssemblyName changed: the compiler wrote another assembly since, and the old program is stale.
        var renamed = Path.Combine(project.Intermediate("net10.0"), "Renamed.dll");
        File.WriteAllText(renamed, "");
        File.SetLastWriteTimeUtc(renamed, DateTime.UtcNow.AddMinutes(1));

        Assert.Null(BuildOutputProgram.Find(project.ProjectPath, "Debug"));
    }

    [Fact]
    public void An_output_older_than_the_compiled_assembly_is_never_started()
    {
        using var project = FakeProject.Create();
        File.SetLastWriteTimeUtc(Path.Combine(project.Intermediate("net10.0"), "Shop.Api.dll"), DateTime.UtcNow.AddMinutes(1));

        Assert.Null(BuildOutputProgram.Find(project.ProjectPath, "Debug"));
    }

    private static void Apply(TestAppHost host) =>
        BuildOutputLaunch.Apply(new DistributedApplicationModel(host.Builder.Resources), host.Builder.Configuration, Configuration(host), NullLogger.Instance);

    private static string Configuration(TestAppHost host) => BuildOutputLaunch.ConfigurationOf(host.Builder.AppHostAssembly);

    /// <summary>The model only: an existing server's, so nothing is started when it goes.</summary>
    private static Task<TestAppHost> ExistingServerModelAsync(string[] extra) =>
        TestAppHost.CreateAsync(PostgresMode.Existing, CancellationToken, extra: [$"--ConnectionStrings:appdb={ModeModels.ExistingConnectionString}", .. extra]);

    /// <summary>A project's folder as a Debug build leaves it: the assembly in obj/, and in bin/ with its runtimeconfig and apphost.</summary>
    private sealed class FakeProject : IDisposable
    {
        private readonly TemporaryFolder _folder = TemporaryFolder.Create();

        public string ProjectPath => Path.Combine(_folder.Path, "Shop.Api.csproj");

        public static FakeProject Create()
        {
            var project = new FakeProject();
            File.WriteAllText(project.ProjectPath, "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />");
            project.Build("net10.0");
            return project;
        }

        public string Intermediate(string framework) => Path.Combine(_folder.Path, "obj", "Debug", framework);

        public string Program(string framework) => Path.Combine(_folder.Path, "bin", "Debug", framework, "Shop.Api");

        public void Build(string framework)
        {
            var compiled = DateTime.UtcNow.AddMinutes(-1);
            Directory.CreateDirectory(Intermediate(framework));
            Directory.CreateDirectory(Path.GetDirectoryName(Program(framework))!);
            foreach (var file in (string[])[Path.Combine(Intermediate(framework), "Shop.Api.dll"), $"{Program(framework)}.dll", $"{Program(framework)}.runtimeconfig.json", Program(framework)])
            {
                File.WriteAllText(file, "");
                File.SetLastWriteTimeUtc(file, compiled);
            }
        }

        public void Dispose() => _folder.Dispose();
    }
}
