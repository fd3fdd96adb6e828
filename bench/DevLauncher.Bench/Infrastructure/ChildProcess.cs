using System.Diagnostics;

namespace DevLauncher.Bench.Infrastructure;

/// <summary>
/// The programs the bench starts. Their output is always read: a redirected pipe that nobody reads fills up and blocks
/// the program.
/// </summary>
public static class ChildProcess
{
    /// <summary>Started with its output read and dropped.</summary>
    public static Process Start(string program, IEnumerable<string> arguments, IEnumerable<(string Key, string Value)> environment, string? workingDirectory = null)
    {
        var process = Process.Start(StartInfo(program, arguments, environment, workingDirectory))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs to its exit, keeping what it printed for the caller's checks and messages.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(
        string program, IEnumerable<string> arguments, IEnumerable<(string Key, string Value)> environment, string? workingDirectory = null)
    {
        using var process = Process.Start(StartInfo(program, arguments, environment, workingDirectory))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }

    private static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, IEnumerable<(string Key, string Value)> environment, string? workingDirectory)
    {
        var startInfo = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        return startInfo;
    }
}
