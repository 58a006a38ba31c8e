namespace Pipelines.Cli.Tests;

/// <summary>What one run of the tool printed and returned.</summary>
public sealed record ToolResult(int ExitCode, string StdOut, string StdErr, IReadOnlyList<string> Args)
{
    /// <summary>For assertion messages: the command and everything it printed.</summary>
    public override string ToString() =>
        $"pipelines {string.Join(' ', Args)}{Environment.NewLine}exit code {ExitCode}{Environment.NewLine}--- stdout ---{Environment.NewLine}{StdOut}--- stderr ---{Environment.NewLine}{StdErr}";

    public void AssertExitCode(int expected) => Assert.True(ExitCode == expected, $"expected exit code {expected}.{Environment.NewLine}{this}");

    /// <summary>
    /// Bad input's contract: the exit code, an "error:" line on stderr whose first occurrence holds every fragment, no
    /// stack trace and no terminal escape codes (the output is redirected).
    /// </summary>
    public void AssertOneClearError(int exitCode, params string[] fragments)
    {
        AssertExitCode(exitCode);
        var errors = StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:")).ToList();
        Assert.True(errors.Count >= 1, $"no error line.{Environment.NewLine}{this}");
        foreach (var fragment in fragments) Assert.Contains(fragment, errors[0]);
        Assert.DoesNotContain("   at ", StdErr);
        Assert.DoesNotContain('\u001b', StdErr);
    }
}
