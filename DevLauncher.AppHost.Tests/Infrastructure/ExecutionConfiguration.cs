using Microsoft.Extensions.Logging.Abstractions;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>What a resource of a model that was not started would be given, as Aspire evaluates it.</summary>
public static class ExecutionConfiguration
{
    /// <summary>A resource's environment as the manifest writes it: references stay references, secrets stay hidden.</summary>
    public static async Task<Dictionary<string, string>> EnvironmentOfAsync(IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, TestContext.Current.CancellationToken);
        Assert.Null(configuration.Exception);
        return configuration.EnvironmentVariables.ToDictionary();
    }

    /// <summary>A resource's arguments as a run would pass them.</summary>
    public static async Task<string[]> ArgumentsOfAsync(IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithArgumentsConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), NullLogger.Instance, TestContext.Current.CancellationToken);
        Assert.Null(configuration.Exception);
        return [.. configuration.Arguments.Select(a => a.Value)];
    }
}
