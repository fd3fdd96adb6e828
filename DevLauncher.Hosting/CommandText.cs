namespace DevLauncher.Hosting;

/// <summary>
/// A command's successful result with its text as the result's data too: the dashboard shows the message, and the
/// Aspire CLI (<c>aspire resource ... </c>) prints only the data of a success.
/// </summary>
internal static class CommandText
{
    public static ExecuteCommandResult Success(string message) => CommandResults.Success(message, message);
}
