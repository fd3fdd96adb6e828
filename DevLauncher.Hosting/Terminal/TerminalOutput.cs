namespace DevLauncher.Hosting.Terminal;

/// <summary>
/// The lines the AppHost writes for a developer in its terminal (standard error, where a script reads failures): a
/// failure of a resource the app needs, and the few facts of a start worth knowing. One line each, without the
/// logger's category and level, which would make each two.
/// </summary>
internal sealed class TerminalOutput(TextWriter writer)
{
    public TerminalOutput()
        : this(Console.Error)
    {
    }

    public void WriteLine(string line)
    {
        lock (writer)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
