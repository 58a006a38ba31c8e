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

    [Fact]
    public void AMissingFileIsNamed()
    {
        var missing = _temp.File("nope.csv");
        Classify(missing, "label").AssertOneClearError(1, "was not found", missing);
        Assert.False(Directory.Exists(Out), "nothing is written for input that cannot run");
    }

    [Fact]
    public void AnUnknownLabelListsTheColumnsAndSuggestsTheClosest()
    {
        Classify(Tool.Dataset("iris.csv"), "specis").AssertOneClearError(1,
            "'specis' was not found", "Did you mean 'species'?", "sepal_length, sepal_width, petal_length, petal_width, species");
    }

    [Fact]
    public void AnEmptyDatasetIsRefused()
    {
        Classify(_temp.Write("empty.csv", Array.Empty<string>()), "label").AssertOneClearError(1, "is empty");
        Classify(_temp.Write("header-only.csv", new[] { "a,b,label" }), "label").AssertOneClearError(1, "no data rows");
    }

    [Fact]
    public void AnUnreadableRowNamesTheFileTheLineAndTheText()
    {
        var lines = File.ReadAllLines(Tool.Dataset("iris.csv")).ToList();
        lines.Insert(20, "5.1,3.5,setosa");
        var file = _temp.Write("ragged.csv", lines);
        Classify(file, "species").AssertOneClearError(1, file, "line 21", "expected 5 fields but found 3", "\"5.1,3.5,setosa\"");
    }

    [Fact]
    public void ARegressionLabelMustBeNumeric()
    {
        var result = Tool.Run("regression", "--dataset", Tool.Dataset("iris.csv"), "--label-col", "species", "--trainers", "linear", "--max-trials", "1", "-o", Out);
        result.AssertOneClearError(1, "Regression needs a numeric label", "'setosa' on line 2");
    }

    [Fact]
    public void AFolderHoldingAnotherRunIsRefusedUnlessForced()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "settings.json"), "{}");
        File.WriteAllText(Path.Combine(Out, "notes.txt"), "mine");
        // The earlier run's consumption project, with a file of the user's in it, and its Program.cs of the old layout.
        var oldApp = Directory.CreateDirectory(Path.Combine(Out, "Old.ConsoleApp")).FullName;
        File.WriteAllText(Path.Combine(oldApp, "Old.ConsoleApp.csproj"), "<Project />");
        File.WriteAllText(Path.Combine(oldApp, "Program.cs"), "// old");
        File.WriteAllText(Path.Combine(oldApp, "mine.txt"), "mine");
        File.WriteAllText(Path.Combine(Out, "Program.cs"), "// old");
        Classify(Tool.Dataset("iris.csv"), "species").AssertOneClearError(1, "holds another run", "pipelines resume --output");

        var forced = Classify(Tool.Dataset("iris.csv"), "species", "--force");
        forced.AssertExitCode(0);
        Assert.Contains("\"command\": \"classification\"", File.ReadAllText(Path.Combine(Out, "settings.json")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Out, "notes.txt")));
        Assert.Equal(new[] { Path.Combine(oldApp, "mine.txt") }, Directory.GetFiles(oldApp));
        Assert.False(File.Exists(Path.Combine(Out, "Program.cs")));
        Assert.True(File.Exists(Path.Combine(Out, "SampleClassification.ConsoleApp", "Program.cs")), forced.ToString());
    }

    [Fact]
    public void ATrainTimeTooShortForOneTrialSaysSo()
    {
        var result = Tool.Run("regression", "--dataset", Tool.Dataset("concrete.csv"), "--label-col", "compressive_strength",
            "--trainers", "torch-mlp", "--epochs", "300", "--batch-sizes", "16", "--train-time", "1", "-o", Out);
        result.AssertOneClearError(3, "ended before any trial finished", "--train-time");
        Assert.True(File.Exists(Path.Combine(Out, "study.db")));
    }

    [Fact]
    public void OptionValuesAreChecked()
    {
        Classify(Tool.Dataset("iris.csv"), "species", "--tuner", "bayes").AssertOneClearError(1, "Unknown tuner 'bayes'", "tpe, random, grid, cfo");
        Classify(Tool.Dataset("iris.csv"), "species", "--pruner", "early").AssertOneClearError(1, "Unknown pruner 'early'");
        Classify(Tool.Dataset("iris.csv"), "species", "--fidelity", "steps").AssertOneClearError(1, "--fidelity 'steps'", "epochs or examples");
        Classify(Tool.Dataset("iris.csv"), "species", "--trainers", "xgboost").AssertOneClearError(1, "Unknown trainer 'xgboost'");
        Classify(Tool.Dataset("iris.csv"), "species", "--metric", "rmse").AssertOneClearError(1, "--metric", "MicroAccuracy");
        Classify(Tool.Dataset("iris.csv"), "species", "--epochs", "9..3").AssertOneClearError(1, "--epochs 9..3");
        Classify(Tool.Dataset("iris.csv"), "species", "--epochs", "5..9").AssertOneClearError(1, "--epochs", "torch-mlp, which is not among the trainers");
        Classify(Tool.Dataset("iris.csv"), "species", "--trainers", "torch-mlp", "--batch-sizes", "100").AssertOneClearError(1, "--batch-sizes 100", "power of two");
        Classify(Tool.Dataset("iris.csv"), "species", "-v", "loud").AssertOneClearError(1, "Unknown verbosity 'loud'");
    }

    [Fact]
    public void CommandLineMistakesAreUsageErrors()
    {
        Classify(Tool.Dataset("iris.csv"), "species", "--bogus").AssertOneClearError(2, "Unknown option 'bogus'");
        Classify(Tool.Dataset("iris.csv"), "species", "--parallel", "two").AssertOneClearError(2, "--parallel 'two'", "a number is expected");
        Tool.Run("classification", "--label-col", "species").AssertOneClearError(2, "missing required option 'dataset'");
        Tool.Run("forecasting", "--dataset", "sales.csv").AssertOneClearError(2, "Unknown command 'forecasting'");
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
        Tool.Run("resume", "--output", _temp.Path).AssertOneClearError(1, "holds no run to resume", "settings.json is missing");
        Tool.Run("report", "--output", _temp.File("missing")).AssertOneClearError(1, "does not exist");
    }

    [Fact]
    public void EveryCommandThatRunsTrialsChecksItsBudgetBeforeAnythingElse()
    {
        // Before any file is read: the data set, the run folder and the storage named here do not exist.
        Classify(_temp.File("absent.csv"), "species", "--train-time", "0").AssertOneClearError(1, "--train-time 0", "must be positive");
        Tool.Run("regression", "--dataset", _temp.File("absent.csv"), "--label-col", "y", "--max-trials", "0", "-o", Out)
            .AssertOneClearError(1, "--max-trials 0", "at least one trial");
        Tool.Run("resume", "--output", _temp.File("no-run"), "--train-time", "-5").AssertOneClearError(1, "--train-time -5", "must be positive");
        Tool.Run("worker", "--storage", "sqlite:///" + _temp.File("no.db"), "--study", "s", "--max-trials", "0")
            .AssertOneClearError(1, "--max-trials 0", "at least one trial");
    }
}
