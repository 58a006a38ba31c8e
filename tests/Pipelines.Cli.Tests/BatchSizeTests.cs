using System.Globalization;
using System.Text.Json;

namespace Pipelines.Cli.Tests;

/// <summary>`pipelines batch-size` on small real data sets: the files it writes, with the columns and fields it promises.</summary>
public sealed class BatchSizeTests : IDisposable
{
    static readonly string[] Columns =
    {
        "batch_size", "learning_rate", "steps", "examples", "seconds", "samples_per_second",
        "train_metric", "validation_metric", "gap", "gradient_noise_scale",
    };

    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Runs `pipelines batch-size ARGS -o TEMP/name`; it must succeed. Returns the output folder and what it printed.</summary>
    (string Output, ToolResult Result) Sweep(string name, params string[] args)
    {
        var output = _temp.File(name);
        var result = Tool.Run(new[] { "batch-size" }.Concat(args).Concat(new[] { "-o", output }).ToArray());
        result.AssertExitCode(0);
        return (output, result);
    }

    [Fact]
    public void ASweepOnBreastCancerWritesTheCsvTheJsonAndTheReport()
    {
        var (output, result) = Sweep("sweep", "--dataset", Tool.Dataset("breast-cancer.csv"), "--label-col", "label",
            "--batch-sizes", "8..128", "--max-epochs", "6", "--seed", "1");
        Assert.DoesNotContain('\u001b', result.StdOut);
        Assert.Contains("run 5/5", result.StdOut);                // a line per run, as output is redirected
        Assert.Contains("Critical batch size B_crit", result.StdOut);
        Assert.Contains("Recommended batch size", result.StdOut);

        var lines = File.ReadAllLines(Path.Combine(output, "batch-size.csv"));
        Assert.Equal(string.Join(',', Columns), lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(new[] { "8", "16", "32", "64", "128" }, rows.Select(r => r[0]));
        foreach (var row in rows)
        {
            Assert.Equal(Columns.Length, row.Length);
            // The automatic target is one every batch size reaches: every cell is filled.
            Assert.All(row, cell => Assert.NotEqual("", cell));
            double steps = double.Parse(row[2], CultureInfo.InvariantCulture), examples = double.Parse(row[3], CultureInfo.InvariantCulture);
            Assert.True(steps > 0 && examples >= steps);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "batch-size.json")));
        var root = json.RootElement;
        foreach (var field in new[] { "rows", "critical_batch_size", "s_min", "e_min", "gradient_noise_scale", "recommended_batch_size" })
            Assert.True(root.TryGetProperty(field, out _), $"batch-size.json has no {field}");
        Assert.Equal(Columns, root.GetProperty("rows")[0].EnumerateObject().Select(p => p.Name));
        Assert.True(root.GetProperty("critical_batch_size").GetDouble() > 0);
        Assert.Contains(root.GetProperty("recommended_batch_size").GetInt32(), new[] { 8, 16, 32, 64, 128 });

        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("steps-vs-examples.png", html);
        Assert.True(File.Exists(Path.Combine(output, "plots", "time-to-target.png")));
    }

    [Fact]
    public void ARegressionLabelAndAGivenTargetWork()
    {
        // Concrete's strength is a regression label; the target is an MSE in the label's units (MPa²).
        var (output, result) = Sweep("concrete", "--dataset", Tool.Dataset("concrete.csv"), "--label-col", "compressive_strength",
            "--batch-sizes", "16,64", "--max-epochs", "30", "--target", "150");
        Assert.Contains("Regression", result.StdOut);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "batch-size.json")));
        Assert.Equal("MeanSquaredError", json.RootElement.GetProperty("loss").GetString());
        Assert.Equal(150, json.RootElement.GetProperty("target_loss").GetDouble());
        Assert.True(json.RootElement.GetProperty("target_given").GetBoolean());
    }

    [Fact]
    public void AnImageFolderIsSweptWithTheCnn()
    {
        var images = ImageFolders.Subset(_temp.File("images"), new[] { "Bag", "Trouser", "Sneaker" }, skip: 0, take: 40);
        var (output, result) = Sweep("images-sweep", "--dataset", images, "--batch-sizes", "8,32", "--max-epochs", "2");
        Assert.Contains("with torch-cnn: SmallCnn", result.StdOut);
        var lines = File.ReadAllLines(Path.Combine(output, "batch-size.csv"));
        Assert.Equal(new[] { "8", "32" }, lines.Skip(1).Select(l => l.Split(',')[0]));
    }

    [Fact]
    public void AStudyTrialGivesTheNetworkAndItsLearningRate()
    {
        var run = _temp.File("run");
        Tool.Run("classification", "--dataset", Tool.Dataset("breast-cancer.csv"), "--label-col", "label", "--trainers", "torch-mlp",
            "--epochs", "3", "--max-trials", "1", "--seed", "3", "-o", run).AssertExitCode(0);
        var (output, result) = Sweep("sweep", "--dataset", Tool.Dataset("breast-cancer.csv"), "--label-col", "label", "--from-study", run,
            "--trial", "1", "--batch-sizes", "16,64", "--max-epochs", "3");
        Assert.Contains("trial 1 (torch-mlp)", result.StdOut);
        Assert.True(File.Exists(Path.Combine(output, "batch-size.csv")));
        Assert.Contains($"trial 1 of {run}", File.ReadAllText(Path.Combine(output, "report.html")));
    }
}
