#pragma warning disable ASPIREPROCESSCOMMAND001 // Aspire's process command runs, watches and kills the plan's process for us.
using System.Reflection;
using DevLauncher.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace DevLauncher.AppHost.Migrations;

/// <summary>
/// "Check migrations": a plan-only run of the worker (Migrations:PlanOnly) with the worker's own database and files,
/// beside the resource (whose state stays that of its last run). It lists the pending files and finds drift, unknown
/// and out-of-order versions; nothing is applied. Its report is the command's result.
/// </summary>
public static class CheckMigrationsCommand
{
    private static readonly string[] WorkerSections = ["ConnectionStrings__", "Migrations__"];

    public static IResourceBuilder<ProjectResource> WithCheckMigrationsCommand(this IResourceBuilder<ProjectResource> worker)
    {
        return worker.WithProcessCommand(MigrationCommands.Check, "Check migrations", context => PlanSpecAsync(worker.Resource, context),
            new ProcessCommandOptions
            {
                Description = "Show what Apply migrations would do: the pending files, and any drift, unknown or out-of-order version. Applies nothing.",
                IconName = "DocumentSearch",
                GetCommandResult = ResultAsync,
            });
    }

    private static async ValueTask<ProcessCommandSpec> PlanSpecAsync(ProjectResource worker, ExecuteCommandContext context)
    {
        var environment = await WorkerEnvironmentAsync(worker, context);
        environment[WorkerSettings.EnvironmentVariable(WorkerSettings.PlanOnlyKey)] = "true";
        environment[MigrationReports.EnvironmentVariable] = context.Services.GetRequiredService<MigrationReports>().NewPath();
        var project = worker.GetProjectMetadata().ProjectPath;
        var configuration = typeof(CheckMigrationsCommand).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        // As the orchestrator runs the worker: the AppHost's build built it.
        return new ProcessCommandSpec("dotnet")
        {
            Arguments = ["run", "--project", project, "--no-build", "--no-launch-profile", "--configuration", configuration],
            WorkingDirectory = Path.GetDirectoryName(project),
            EnvironmentVariables = environment,
        };
    }

    /// <summary>The worker's database and migration settings as the orchestrator would give them; no telemetry, no secrets it does not need.</summary>
    private static async Task<Dictionary<string, string>> WorkerEnvironmentAsync(ProjectResource worker, ExecuteCommandContext context)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(worker)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(context.Services.GetRequiredService<DistributedApplicationExecutionContext>(), context.Logger, context.CancellationToken);
        return configuration.EnvironmentVariables
            .Where(v => WorkerSections.Any(section => v.Key.StartsWith(section, StringComparison.Ordinal)))
            .ToDictionary(v => v.Key, v => v.Value);
    }

    private static async Task<ExecuteCommandResult> ResultAsync(ProcessCommandResultContext context)
    {
        var report = await MigrationReports.TakeAsync(context.ProcessCommandSpec.EnvironmentVariables[MigrationReports.EnvironmentVariable], context.CancellationToken);
        if (report is null)
        {
            return CommandResults.Failure($"The worker exited with code {context.ExitCode} and wrote no report.", context.GetFormattedOutput());
        }

        var plan = MigrationPlanText.Of(report);
        return report.Succeeded ? CommandResults.Success(plan.Summary, plan.Details) : CommandResults.Failure(plan.Summary, plan.Details);
    }
}
