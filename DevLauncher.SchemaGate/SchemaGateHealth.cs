using DevLauncher.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DevLauncher.SchemaGate;

/// <summary>The health endpoint's answer in the form DevLauncher's AppHost reads.</summary>
public static class SchemaGateHealth
{
    /// <summary>
    /// Writes the health report as JSON (<see cref="HealthDocument"/>) with each check's description, so "needs schema
    /// 0006, database has 0003" reaches whoever polls <c>/health</c> (the AppHost's dashboard too) instead of a bare
    /// "Unhealthy". Pass it as <c>HealthCheckOptions.ResponseWriter</c> where the service maps its health endpoint.
    /// </summary>
    /// <param name="context">The health request.</param>
    /// <param name="report">The checks' results.</param>
    public static Task WriteResponseAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var document = new HealthDocument(
            report.Status.ToString(),
            [.. report.Entries.Select(e => new HealthDocumentEntry(e.Key, e.Value.Status.ToString(), e.Value.Description ?? e.Value.Exception?.Message))]);
        return ContractsJson.WriteHealthAsync(context.Response.Body, document, context.RequestAborted);
    }
}
