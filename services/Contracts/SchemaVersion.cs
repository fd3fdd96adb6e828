using System.Globalization;

namespace DevLauncher.Contracts;

/// <summary>How a schema version (the number in front of a migration file's name) is written everywhere: 0007.</summary>
public static class SchemaVersion
{
    public const string None = "none";

    public static string Format(long version) => version.ToString("D4", CultureInfo.InvariantCulture);

    public static string Format(long? version) => version is { } known ? Format(known) : None;
}
