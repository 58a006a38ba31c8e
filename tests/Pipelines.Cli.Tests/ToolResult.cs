namespace Pipelines.Cli.Tests;

/// <summary>What one run of the tool printed and returned.</summary>
public sealed record ToolResult(int ExitCode, string StdOut, string StdErr, IReadOnlyList<string> Args)
{
    /// <summary>For assertion messages: the command and everything it printed.</summary>
    public override string ToString() =>
        $"pipelines {string.Join(' ', Args)}{Environment.NewLine}exit code {ExitCode}{Environment.NewLine}--- stdout ---{Environment.NewLine}{StdOut}--- stderr ---{Environment.NewLine}{StdErr}";

    public void AssertExitCode(int expected) => Assert.True(ExitCode == expected, $"expected exit code {expected}.{Environment.NewLine}{this}");
}
