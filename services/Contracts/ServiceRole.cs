namespace DevLauncher.Contracts;

/// <summary>
/// The services' least-privilege login role. Migration 0007 creates it (SQL cannot name this constant; a unit test holds
/// the two together), the worker sets its password, and the AppHost builds the services' connection string with it.
/// </summary>
public static class ServiceRole
{
    public const string Name = "devlauncher_service";
}
