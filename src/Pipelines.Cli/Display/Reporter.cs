using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pipelines.Cli.Display;

/// <summary>
/// Where a command's messages go: the console at the chosen verbosity, and everything (diagnostic level, with
/// times) to the log file when --log-file-path is given. Thread-safe: trial threads report through it.
/// </summary>
internal sealed class Reporter : IDisposable
{
    readonly object _gate = new();
    readonly StreamWriter? _log;
    readonly IAnsiConsole? _logConsole;

    public Reporter(Terminal terminal, Verbosity verbosity, string? logFilePath)
    {
        Terminal = terminal;
        Verbosity = verbosity;
        if (string.IsNullOrWhiteSpace(logFilePath)) return;
        try
        {
            var full = Path.GetFullPath(logFilePath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            // Appended: a resumed run continues the same log.
            _log = new StreamWriter(new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
            _logConsole = Terminal.Plain(_log);
            // A --storage URL's password is masked: the log is no place for it.
            var arguments = Environment.GetCommandLineArgs().Skip(1).Select(Pipelines.AutoML.Storage.StudyStorageFactory.Describe);
            _log.WriteLine($"==== pipelines {string.Join(' ', arguments)} ({DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw CliException.Input($"Cannot write the log file '{logFilePath}': {e.Message}");
        }
    }

    public Terminal Terminal { get; }
    public Verbosity Verbosity { get; }

    /// <summary>While the live display owns the terminal, messages go to the log only: a plain line would tear the display.</summary>
    public bool ConsoleSuspended { get; set; }

    public bool Shows(Verbosity level) => Verbosity >= level && !ConsoleSuspended;

    /// <summary>Progress and decisions (minimal and diagnostic).</summary>
    public void Info(string text) => Line(text, Verbosity.Minimal);

    /// <summary>Details for diagnosis (diagnostic only).</summary>
    public void Detail(string text) => Line(text, Verbosity.Diagnostic);

    /// <summary>The outcome: shown at every verbosity, quiet included.</summary>
    public void Result(string text) => Line(text, Verbosity.Quiet);

    public void Warning(string text)
    {
        lock (_gate)
        {
            Log("warning: " + text);
            Prefixed(Terminal.Error, "[yellow]warning:[/] ", text);
        }
    }

    public void Error(string text)
    {
        lock (_gate)
        {
            Log("error: " + text);
            Prefixed(Terminal.Error, "[red]error:[/] ", text);
        }
    }

    /// <summary>
    /// Messages are written as they are, not laid out by Spectre: its text wrapping drops a word longer than the line
    /// (a long path, a parameter's JSON), and a message must arrive whole.
    /// </summary>
    public static void RawLine(IAnsiConsole console, string text)
    {
        try
        {
            console.Profile.Out.Writer.WriteLine(text);
        }
        catch (IOException)
        {
            // The reader went away (`pipelines ... | head`): the run goes on, and the log and study still get everything.
        }
    }

    /// <summary>A colored prefix (plain where colors are off), then the message as it is.</summary>
    public static void Prefixed(IAnsiConsole console, string markupPrefix, string text)
    {
        console.Markup(markupPrefix);
        RawLine(console, text);
    }

    /// <summary>A table or other widget: on the console at <paramref name="level"/> and above, always in the log.</summary>
    public void Render(IRenderable renderable, Verbosity level = Verbosity.Minimal)
    {
        lock (_gate)
        {
            if (Shows(level)) Terminal.Out.Write(renderable);
            _logConsole?.Write(renderable);
        }
    }

    /// <summary>A line for the log file only (everything the live display shows, as text).</summary>
    public void Log(string text)
    {
        lock (_gate) _log?.WriteLine($"{DateTimeOffset.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {text}");
    }

    void Line(string text, Verbosity level)
    {
        lock (_gate)
        {
            Log(text);
            if (Shows(level)) RawLine(Terminal.Out, text);
        }
    }

    public void Dispose() => _log?.Dispose();
}
