using Spectre.Console;

namespace Pipelines.Cli.Display;

/// <summary>
/// The process's standard output and error as Spectre consoles. When stdout is not a terminal (CI, a log file, a
/// test capturing output) everything is plain text: no escape codes, no live display, and a fixed width so tables
/// are not squeezed to 80 columns.
/// </summary>
internal sealed class Terminal
{
    const int RedirectedWidth = 160;

    Terminal(IAnsiConsole output, IAnsiConsole error, bool isInteractive)
    {
        Out = output;
        Error = error;
        IsInteractive = isInteractive;
    }

    public IAnsiConsole Out { get; }
    public IAnsiConsole Error { get; }

    /// <summary>True when stdout is a terminal: the live progress display is shown instead of progress lines.</summary>
    public bool IsInteractive { get; }

    public static Terminal Create()
    {
        bool outRedirected = Console.IsOutputRedirected;
        bool errorRedirected = Console.IsErrorRedirected;
        bool noColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        return new Terminal(
            Make(Console.Out, outRedirected, noColor),
            Make(Console.Error, errorRedirected, noColor),
            isInteractive: !outRedirected && !Console.IsInputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb");
    }

    /// <summary>A console that writes plain text to <paramref name="writer"/> (the log file, a summary rendered for it).</summary>
    public static IAnsiConsole Plain(TextWriter writer, int width = RedirectedWidth)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        return console;
    }

    static IAnsiConsole Make(TextWriter writer, bool redirected, bool noColor)
    {
        if (redirected) return Plain(writer, WidthFromEnvironment() ?? RedirectedWidth);
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Detect,
            ColorSystem = noColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(writer),
        });
    }

    static int? WidthFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int width) && width >= 40 ? width : null;
}
