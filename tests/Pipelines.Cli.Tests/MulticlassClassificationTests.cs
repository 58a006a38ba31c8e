using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Pipelines.Cli.Tests;

/// <summary>`pipelines classification` on iris.csv (three classes) with a separate validation file.</summary>
public sealed class MulticlassClassificationTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheCostAwareTunerRunsPastItsRandomStartup()
    {
        // TPE's first 10 trials are random; trials 11 to 14 are proposed with the cost model fitted on them.
        var output = _temp.File("iris-cost");
        var result = Tool.Run("classification", "--dataset", Tool.Dataset("iris.csv"), "--label-col", "species",
            "--trainers", "fasttree,linear", "--tuner", "tpe-cost", "--max-trials", "14", "--seed", "3", "-o", output);

        result.AssertExitCode(0);
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "settings.json")))!;
        Assert.Equal("tpe-cost", settings["tuner"]!.GetValue<string>());
        var trials = Outputs.Trials(output, "SampleClassification");
        Assert.Equal(14, trials.Count);
        Assert.True(trials.Count(t => t.Status == Pipelines.AutoML.Trials.TrialStatus.Completed) >= 12, string.Join(", ", trials.Select(t => $"{t.Trainer}: {t.Status}")));
    }

    [Fact]
    public void IrisIsDetectedAsMulticlassAndTheModelPredictsClassNames()
    {
        // Every fourth row validates; the file is sorted by class, so both files hold all three.
        var lines = File.ReadAllLines(Tool.Dataset("iris.csv"));
        var rows = lines.Skip(1).ToList();
        var train = _temp.Write("train.csv", rows.Where((_, i) => i % 4 != 0).Prepend(lines[0]));
        var validation = _temp.Write("validation.csv", rows.Where((_, i) => i % 4 == 0).Prepend(lines[0]));
        var output = _temp.File("iris");
        // 112 training rows: leaves that need up to 128 rows, or heavy regularization, make constant models; keep to
        // ranges that learn, so the test checks the tool rather than the luck of three samples.
        var space = _temp.Write("space.json", new[]
        {
            """{ "fasttree": { "minimum_example_count_per_leaf": { "type": "int", "min": 2, "max": 10 }, "learning_rate": { "type": "double", "min": 0.05, "max": 0.5, "log_base": true } },""",
            """  "linear": { "l2_regularization": { "type": "float", "min": 1e-6, "max": 1e-3, "log_base": true }, "l1_regularization": { "type": "float", "min": 1e-6, "max": 1e-4, "log_base": true } } }""",
        });

        var result = Tool.Run("classification", "--dataset", train, "--validation-dataset", validation, "--label-col", "species",
            "--trainers", "fasttree,linear", "--search-space", space, "--max-trials", "3", "--metric", "macro-accuracy", "-o", output);

        result.AssertExitCode(0);
        Assert.Contains("MulticlassClassification", result.StdOut);
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "settings.json")))!;
        Assert.Equal("MulticlassClassification", settings["task"]!.GetValue<string>());
        Assert.Equal("MacroAccuracy", settings["metric"]!.GetValue<string>());
        Assert.Equal(validation, settings["validationDataset"]!.GetValue<string>());

        var ml = new MLContext(seed: 1);
        var scored = Outputs.LoadModel(ml, output).Transform(Outputs.LoadData(ml, validation, "species"));
        var predicted = scored.GetColumn<string>("PredictedLabel").ToList();
        var actual = scored.GetColumn<string>("species").ToList();
        double accuracy = predicted.Zip(actual).Count(p => p.First == p.Second) / (double)actual.Count;
        Assert.True(accuracy > 0.8, $"accuracy {accuracy:F3}{Environment.NewLine}{result}");
        Assert.Subset(new HashSet<string> { "setosa", "versicolor", "virginica" }, predicted.ToHashSet());

        Assert.Equal(3, Outputs.Leaderboard(output).Rows.Count);
        Assert.Contains("public string PredictedLabel", File.ReadAllText(Outputs.ProgramCs(output)));
    }
}
