using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML;

namespace Pipelines.Cli.Tests;

/// <summary>`pipelines regression` on concrete.csv, with a test file, an ignored column and a search-space file.</summary>
public sealed class RegressionTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ConcreteTrainsEvaluatesOnTheTestFileAndKeepsTheSearchSpace()
    {
        var lines = File.ReadAllLines(Tool.Dataset("concrete.csv"));
        var rows = lines.Skip(1).ToList();
        var train = _temp.Write("train.csv", rows.Where((_, i) => i % 5 != 0).Prepend(lines[0]));
        var test = _temp.Write("test.csv", rows.Where((_, i) => i % 5 == 0).Prepend(lines[0]));
        var space = _temp.Write("space.json", new[] { """{ "torch-mlp": { "width": { "type": "int", "min": 8, "max": 16 } }, "fasttree": { "learning_rate": { "type": "double", "min": 0.05, "max": 0.5 } } }""" });
        var output = _temp.File("concrete");

        var result = Tool.Run("regression", "--dataset", train, "--test-dataset", test, "--label-col", "compressive_strength",
            "--ignore-cols", "age", "--trainers", "torch-mlp,fasttree", "--epochs", "3..5", "--batch-sizes", "32..128",
            "--search-space", space, "--max-trials", "3", "--tuner", "random", "--seed", "2", "-o", output);

        result.AssertExitCode(0);
        Assert.Contains("Test RSquared of the best model on test.csv", result.StdOut);
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "settings.json")))!;
        Assert.Equal("Regression", settings["task"]!.GetValue<string>());
        Assert.Equal("age", settings["ignoreColumns"]![0]!.GetValue<string>());
        Assert.Equal(8, settings["searchSpace"]!["torch-mlp"]!["width"]!["min"]!.GetValue<int>());

        foreach (var trial in Outputs.Trials(output, "SampleRegression").Where(t => t.Trainer == "torch-mlp"))
        {
            var parameters = trial.Parameters["parameters"];
            Assert.InRange(parameters["width"].AsInt(), 8, 16);
            Assert.InRange(parameters["epochs"].AsInt(), 3, 5);
            Assert.Contains(parameters["batch_size"].AsInt(), new[] { 32, 64, 128 });
        }

        // model.zip is the model that was measured: scored again from the file, it gives the test R^2 the summary printed.
        var ml = new MLContext(seed: 1);
        var scored = Outputs.LoadModel(ml, output).Transform(Outputs.LoadData(ml, test, "compressive_strength"));
        var r2 = ml.Regression.Evaluate(scored, "compressive_strength").RSquared;
        var printed = double.Parse(Regex.Match(result.StdOut, @"Test RSquared of the best model on test\.csv: (-?[0-9.]+)\.").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(printed, r2, 3);
        Assert.True(r2 > 0, $"test R^2 {r2:F3}{Environment.NewLine}{result}");
        Assert.Contains("public float Score", File.ReadAllText(Outputs.ProgramCs(output)));
    }

    [Fact]
    public void OnExamplesEveryTorchTrialReportsAtTheSameQuarterEpochCountsOfExamples()
    {
        var output = _temp.File("fidelity");
        var result = Tool.Run("regression", "--dataset", Tool.Dataset("concrete.csv"), "--label-col", "compressive_strength",
            "--trainers", "torch-mlp", "--epochs", "2", "--batch-sizes", "16..64", "--pruner", "none", "--fidelity", "examples",
            "--max-trials", "3", "--tuner", "random", "--seed", "4", "-o", output);

        result.AssertExitCode(0);
        Assert.Equal("Examples", JsonNode.Parse(File.ReadAllText(Path.Combine(output, "settings.json")))!["fidelity"]!.GetValue<string>());
        var trials = Outputs.Trials(output, "SampleRegression").Where(t => t.Status == Pipelines.AutoML.Trials.TrialStatus.Completed).ToList();
        Assert.True(trials.Select(t => t.Parameters["parameters"]["batch_size"].AsInt()).Distinct().Count() > 1, "the trials should differ in batch size");
        int rows = trials[0].IntermediateValues[3].Step; // the first epoch's end: every training row
        Assert.InRange(rows, 0.75 * 1030, 0.85 * 1030); // about 80% of concrete's rows train, the rest validate
        var quarters = Enumerable.Range(0, 2).SelectMany(epoch => Enumerable.Range(1, 4).Select(k => epoch * rows + k * rows / 4)).ToList();
        Assert.All(trials, t => Assert.Equal(quarters, t.IntermediateValues.Select(v => v.Step)));
    }

    [Fact]
    public void ByDefaultTheBestModelIsFittedAgainOnTrainingPlusValidationRowsAndTheSummarySaysSo()
    {
        var output = _temp.File("refit");
        var result = Tool.Run("regression", "--dataset", Tool.Dataset("concrete.csv"), "--label-col", "compressive_strength",
            "--trainers", "fasttree", "--max-trials", "2", "-o", output);

        result.AssertExitCode(0);
        Assert.Contains("refitted on the training plus validation rows (--no-refit saves the trial's own)", result.StdOut);
        Assert.True(JsonNode.Parse(File.ReadAllText(Path.Combine(output, "settings.json")))!["refit"]!.GetValue<bool>());
        // The refitted model saw the validation rows, so it scores them better than its trial did.
        var ml = new MLContext(seed: 1);
        var best = Outputs.Trials(output, "SampleRegression").Where(t => t.ValidationMetric != null).MaxBy(t => t.ValidationMetric)!;
        var all = Outputs.LoadData(ml, Tool.Dataset("concrete.csv"), "compressive_strength");
        var r2 = ml.Regression.Evaluate(Outputs.LoadModel(ml, output).Transform(all), "compressive_strength").RSquared;
        Assert.True(r2 > best.ValidationMetric, $"R^2 on every row {r2:F4}, the trial's validation R^2 {best.ValidationMetric:F4}");
    }
}
