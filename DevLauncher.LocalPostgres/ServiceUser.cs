using System.Globalization;
using System.Runtime.InteropServices;

namespace DevLauncher.LocalPostgres;

/// <summary>
/// The account PostgreSQL runs as when we are root (it refuses to run as root): who it is in /etc/passwd, and giving it
/// the folders and files it must write.
/// </summary>
internal static partial class ServiceUser
{
    public const string Name = "postgres";

    public static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    /// <summary>The account's entry; only asked for as root, where PostgreSQL cannot run without it.</summary>
    public static ServiceAccount Account() => FindAccount(Name)
        ?? throw new LocalPostgresException($"Running as root, but there is no '{Name}' user to run PostgreSQL as.");

    /// <summary>Gives the server's user the folder or file, so that initdb and the server (running as postgres) can use it.</summary>
    public static void GiveTo(string path)
    {
        if (!IsRoot)
        {
            return;
        }

        var account = Account();
        if (Chown(path, account.Uid, account.Gid) != 0)
        {
            throw new LocalPostgresException($"Could not give {path} to the {Name} user (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    /// <summary>Creates the folder when missing and gives it to the server's user.</summary>
    public static void CreateDirectory(string path)
    {
        Directory.CreateDirectory(path);
        GiveTo(path);
    }

    private static ServiceAccount? FindAccount(string user)
    {
        // getpwnam would need a struct layout per libc; /etc/passwd is what it reads on the machines we run on.
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 5 && fields[0] == user)
            {
                return new ServiceAccount(uint.Parse(fields[2], CultureInfo.InvariantCulture),
                    uint.Parse(fields[3], CultureInfo.InvariantCulture), fields[5]);
            }
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, uint owner, uint group);
}

/// <summary>The service user's ids and its home folder, from /etc/passwd.</summary>
internal readonly record struct ServiceAccount(uint Uid, uint Gid, string Home);
