using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace DevLauncher.LocalPostgres;

/// <summary>
/// Runs PostgreSQL's programs. PostgreSQL refuses to run as root, so as root each program runs as the
/// <c>postgres</c> user through <c>runuser</c>.
/// </summary>
internal static partial class CommandRunner
{
    public const string ServiceUser = "postgres";

    public static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

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

    /// <summary>Gives the server's user the folder, so that initdb (running as postgres) can write it.</summary>
    public static void GiveToServiceUser(string path)
    {
        if (!IsRoot)
        {
            return;
        }

        var user = GetPasswordEntry(ServiceUser)
            ?? throw new LocalPostgresException($"Running as root, but there is no '{ServiceUser}' user to run PostgreSQL as.");
        if (Chown(path, user.Uid, user.Gid) != 0)
        {
            throw new LocalPostgresException($"Could not give {path} to the {ServiceUser} user (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    private static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments)
    {
        var startInfo = IsRoot
            ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", ServiceUser, "--", program } }
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

    private readonly record struct PasswordEntry(uint Uid, uint Gid);

    private static PasswordEntry? GetPasswordEntry(string user)
    {
        // getpwnam would need a struct layout per libc; /etc/passwd is what it reads on the machines we run on.
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 3 && fields[0] == user)
            {
                return new PasswordEntry(uint.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture),
                    uint.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, uint owner, uint group);
}

public sealed class LocalPostgresException(string message) : Exception(message);
