using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DevLauncher.Hosting.Terminal;

internal static class TerminalExtensions
{
    /// <summary>One line in the terminal for every failure of a resource the app needs (<see cref="FailureReporter"/>).</summary>
    public static IDistributedApplicationBuilder ReportFailuresInTerminal(this IDistributedApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<TerminalOutput>();
        if (!builder.ExecutionContext.IsRunMode)
        {
            return builder;
        }

        builder.Services.AddOptions<FailureReportOptions>().Bind(builder.Configuration.GetSection(FailureReportOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<FailureReasons>();
        builder.Services.TryAddSingleton<WaitingReasons>();
        builder.Services.AddHostedService<FailureReporter>();
        return builder;
    }
}
