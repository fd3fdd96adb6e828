using System.Diagnostics;
using System.Text;

namespace DevLauncher.LocalPostgres;

/// <summary>
/// Runs PostgreSQL's programs. PostgreSQL refuses to run as root, so as root each program runs as the
/// <c>postgres</c> user through <c>runuser</c>.
/// </summary>
internal static class CommandRunner
{
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(program, arguments)) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = new StringBuilder();
        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput, output), PumpAsync(process.StandardError, output));
        await WaitForExitAsync(process, cancellationToken);
        await pumps;
        if (process.ExitCode != 0)
        {
            throw new LocalPostgresException(
                $"{Path.GetFileName(program)} exited with code {process.ExitCode}: {output.ToString().Trim()}");
        }

        return output.ToString();
    }

    private static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments)
    {
        var startInfo = ServiceUser.IsRoot
            ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", ServiceUser.Name, "--", program } }
            : new ProcessStartInfo(program);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        // pg_ctl passes its environment to the server; a stable locale keeps its messages in English for our errors.
        startInfo.Environment["LC_MESSAGES"] = "C";
        return startInfo;
    }

    /// <summary>A cancelled wait kills the program, so that nothing it started outlives the caller's interest.</summary>
    private static async Task WaitForExitAsync(Process process, CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder sink)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (sink)
            {
                sink.AppendLine(line);
            }
        }
    }
}

internal sealed class LocalPostgresException(string message) : Exception(message);
