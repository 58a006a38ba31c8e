namespace Pipelines.Cli.Tests;

/// <summary>--help on every command: complete (every option described), with examples and the exit codes.</summary>
public sealed class HelpTests
{
    public static TheoryData<string, string[]> Commands => new()
    {
        { "classification", TrainOptions },
        { "regression", TrainOptions },
        { "image-classification", ImageOptions },
        { "resume", new[] { "--output", "--train-time", "--max-trials", "--log-file-path", "--verbosity" } },
        { "report", new[] { "--output", "--log-file-path", "--verbosity" } },
        { "batch-size", BatchSizeOptions },
        { "worker", new[] { "--storage", "--study", "--train-time", "--max-trials", "--heartbeat-grace", "--output", "--force", "--log-file-path", "--verbosity" } },
        { "export", new[] { "--storage", "--study", "--output", "--force", "--log-file-path", "--verbosity" } },
    };

    static readonly string[] BatchSizeOptions =
    {
        "--dataset", "--label-col", "--validation-dataset", "--has-header", "--ignore-cols", "--output", "--batch-sizes", "--trainer",
        "--from-study", "--trial", "--target", "--train-time", "--max-epochs", "--search-learning-rate", "--image-size",
        "--skip-corrupt-images", "--seed", "--device", "--force", "--log-file-path", "--verbosity",
    };

    static readonly string[] TrainOptions =
    {
        "--dataset", "--label-col", "--validation-dataset", "--test-dataset", "--has-header", "--ignore-cols", "--train-time", "--output",
        "--name", "--log-file-path", "--verbosity", "--trainers", "--metric", "--tuner", "--pruner", "--fidelity", "--max-trials", "--parallel", "--seed",
        "--device", "--batch-sizes", "--epochs", "--search-space", "--gap-penalty", "--no-refit", "--force", "--storage", "--study",
    };

    static readonly string[] ImageOptions =
    {
        "--dataset", "--validation-dataset", "--test-dataset", "--train-time", "--output", "--name", "--log-file-path", "--verbosity",
        "--trainers", "--metric", "--tuner", "--pruner", "--fidelity", "--max-trials", "--parallel", "--seed", "--device", "--batch-sizes", "--epochs",
        "--search-space", "--gap-penalty", "--no-refit", "--force", "--image-size", "--skip-corrupt-images", "--max-image-pixels", "--storage", "--study",
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommandsHelpListsItsOptionsWithExamples(string command, string[] options)
    {
        var result = Tool.Run(command, "--help");
        result.AssertExitCode(0);
        var help = result.StdOut;
        Assert.DoesNotContain('\u001b', help);
        Assert.Contains("DESCRIPTION:", help);
        Assert.Contains("EXAMPLES:", help);
        Assert.Contains($"pipelines {command} --", help);
        Assert.Contains("EXIT CODES:", help);
        foreach (var option in options) Assert.Contains(option, help);
        // Every option line carries a description (no bare option names); wrapped descriptions are indented deeper.
        var optionLines = help.Split('\n').SkipWhile(l => !l.StartsWith("OPTIONS:")).Skip(1).TakeWhile(l => l.Trim().Length > 0)
            .Where(l => l.Length - l.TrimStart().Length is > 0 and < 10 && l.TrimStart().StartsWith('-')).ToList();
        Assert.Equal(options.Length + 1, optionLines.Count); // and -h, --help
        Assert.All(optionLines, l => Assert.Matches(@"--?\S+(?: <[A-Z]+>)?\s{2,}\S+", l));
    }

    [Fact]
    public void TheToolsHelpListsTheCommands()
    {
        var result = Tool.Run("--help");
        result.AssertExitCode(0);
        foreach (var command in new[] { "classification", "regression", "image-classification", "resume", "report", "batch-size", "worker", "export" }) Assert.Contains(command, result.StdOut);
        Assert.Contains("EXAMPLES:", result.StdOut);
    }
}
