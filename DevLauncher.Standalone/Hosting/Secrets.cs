using System.Security.Cryptography;

namespace DevLauncher.Standalone.Hosting;

/// <summary>Per-data-directory secrets, generated once and kept in files only their owner can read (0600).</summary>
public static class Secrets
{
    public static string ReadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(new FileStream(path, options));
            writer.Write(secret);
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another host on the same data directory created it a moment ago: use theirs.
            Thread.Sleep(50);
            return File.ReadAllText(path).Trim();
        }
    }

    public static void WriteOwnerOnly(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(new FileStream(temporary, options)))
        {
            writer.Write(content);
        }

        // Whoever polls for the file sees all of it or none of it.
        File.Move(temporary, path, overwrite: true);
    }
}
