using System.ComponentModel.DataAnnotations;

namespace DevLauncher.Hosting.Terminal;

/// <summary><c>DevLauncher:Terminal</c>: when the terminal says that a service is not coming up.</summary>
internal sealed class FailureReportOptions
{
    public const string SectionName = "DevLauncher:Terminal";

    /// <summary>How long a running service may stay unhealthy before the terminal says so (once) with its health's reason.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "DevLauncher:Terminal:UnhealthyAfter must be between 00:00:01 and 01:00:00.")]
    public TimeSpan UnhealthyAfter { get; set; } = TimeSpan.FromMinutes(1);
}
