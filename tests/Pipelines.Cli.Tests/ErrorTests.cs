namespace Pipelines.Cli.Tests;

/// <summary>Bad input ends with a non-zero exit code and one clear message on stderr, without a stack trace.</summary>
public sealed class ErrorTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    string Out => _temp.File("out");

    /// <summary>Cheap trainers, so a case that gets as far as training does not cost much.</summary>
    ToolResult Classify(string dataset, string label, params string[] more) =>
        Tool.Run(new[] { "classification", "--dataset", dataset, "--label-col", label, "--trainers", "linear", "--max-trials", "1", "-o", Out }.Concat(more).ToArray());

    static void AssertOneClearError(ToolResult result, int exitCode, params string[] fragments)
    {
        result.AssertExitCode(exitCode);
        var errors = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:")).ToList();
        Assert.True(errors.Count >= 1, $"no error line.{Environment.NewLine}{result}");
        foreach (var fragment in fragments) Assert.Contains(fragment, errors[0]);
        Assert.DoesNotContain("   at ", result.StdErr);
        Assert.DoesNotContain('\u001b', result.StdErr);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var missing = _temp.File("nope.csv");
        AssertOneClearError(Classify(missing, "label"), 1, "was not found", missing);
        Assert.False(Directory.Exists(Out), "nothing is written for input that cannot run");
    }

    [Fact]
    public void AnUnknownLabelListsTheColumnsAndSuggestsTheClosest()
    {
        AssertOneClearError(Classify(Tool.Dataset("iris.csv"), "specis"), 1,
            "'specis' was not found", "Did you mean 'species'?", "sepal_length, sepal_width, petal_length, petal_width, species");
    }

    [Fact]
    public void AnEmptyDatasetIsRefused()
    {
        AssertOneClearError(Classify(_temp.Write("empty.csv", Array.Empty<string>()), "label"), 1, "is empty");
        AssertOneClearError(Classify(_temp.Write("header-only.csv", new[] { "a,b,label" }), "label"), 1, "no data rows");
    }

    [Fact]
    public void AnUnreadableRowNamesTheFileTheLineAndTheText()
    {
        var lines = File.ReadAllLines(Tool.Dataset("iris.csv")).ToList();
        lines.Insert(20, "5.1,3.5,setosa");
        var file = _temp.Write("ragged.csv", lines);
        AssertOneClearError(Classify(file, "species"), 1, file, "line 21", "expected 5 fields but found 3", "\"5.1,3.5,setosa\"");
    }

    [Fact]
    public void ARegressionLabelMustBeNumeric()
    {
        var result = Tool.Run("regression", "--dataset", Tool.Dataset("iris.csv"), "--label-col", "species", "--trainers", "linear", "--max-trials", "1", "-o", Out);
        AssertOneClearError(result, 1, "Regression needs a numeric label", "'setosa' on line 2");
    }

    [Fact]
    public void AFolderHoldingAnotherRunIsRefusedUnlessForced()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "settings.json"), "{}");
        File.WriteAllText(Path.Combine(Out, "notes.txt"), "mine");
        AssertOneClearError(Classify(Tool.Dataset("iris.csv"), "species"), 1, "holds another run", "pipelines resume --output");

        var forced = Classify(Tool.Dataset("iris.csv"), "species", "--force");
        forced.AssertExitCode(0);
        Assert.Contains("\"command\": \"classification\"", File.ReadAllText(Path.Combine(Out, "settings.json")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Out, "notes.txt")));
    }

    [Fact]
    public void ATrainTimeTooShortForOneTrialSaysSo()
    {
        var result = Tool.Run("regression", "--dataset", Tool.Dataset("concrete.csv"), "--label-col", "compressive_strength",
            "--trainers", "torch-mlp", "--epochs", "300", "--batch-sizes", "16", "--train-time", "1", "-o", Out);
        AssertOneClearError(result, 3, "ended before any trial finished", "--train-time");
        Assert.True(File.Exists(Path.Combine(Out, "study.db")));
    }

    [Fact]
    public void OptionValuesAreChecked()
    {
        AssertOneClearError(Classify(Tool.Dataset("iris.csv"), "species", "--tuner", "bayes"), 1, "Unknown tuner 'bayes'", "tpe, random, grid, cfo");
        AssertOneClearError(Classify(Tool.Dataset("iris.csv"), "species", "--pruner", "early"), 1, "Unknown pruner 'early'");
        AssertOneClearError(Classify(Tool.Dataset("iris.csv"), "species", "--trainers", "xgboost"), 1, "Unknown trainer 'xgboost'");
        AssertOneClearError(Classify(Tool.Dataset("iris.csv"), "species", "--metric", "rmse"), 1, "--metric", "MicroAccuracy");
        AssertOneClearError(Classify(Tool.Dataset("iris.csv"), "species", "--epochs", "9..3"), 1, "--epochs 9..3");
        AssertOneClearError(Classify(Tool.Dataset("iris.csv"), "species", "--epochs", "5..9"), 1, "--epochs", "torch-mlp, which is not among the trainers");
        AssertOneClearError(Classify(Tool.Dataset("iris.csv"), "species", "--trainers", "torch-mlp", "--batch-sizes", "100"), 1, "--batch-sizes 100", "power of two");
        AssertOneClearError(Classify(Tool.Dataset("iris.csv"), "species", "-v", "loud"), 1, "Unknown verbosity 'loud'");
    }

    [Fact]
    public void CommandLineMistakesAreUsageErrors()
    {
        AssertOneClearError(Classify(Tool.Dataset("iris.csv"), "species", "--bogus"), 2, "Unknown option 'bogus'");
        AssertOneClearError(Classify(Tool.Dataset("iris.csv"), "species", "--parallel", "two"), 2, "--parallel 'two'", "a number is expected");
        AssertOneClearError(Tool.Run("classification", "--label-col", "species"), 2, "missing required option 'dataset'");
        AssertOneClearError(Tool.Run("forecasting", "--dataset", "sales.csv"), 2, "Unknown command 'forecasting'");
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void DiagnosticVerbosityAddsTheStackTrace()
    {
        var result = Classify(_temp.File("nope.csv"), "label", "-v", "diag");
        result.AssertExitCode(1);
        Assert.Contains("   at ", result.StdErr);
    }

    [Fact]
    public void ResumeAndReportNeedARun()
    {
        AssertOneClearError(Tool.Run("resume", "--output", _temp.Path), 1, "holds no run to resume", "settings.json is missing");
        AssertOneClearError(Tool.Run("report", "--output", _temp.File("missing")), 1, "does not exist");
    }
}
