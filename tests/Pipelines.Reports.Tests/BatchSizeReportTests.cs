using System.Text.Json;
using Pipelines.Torch.BatchSize;
using Pipelines.Torch.Training;

namespace Pipelines.Reports.Tests;

/// <summary>The batch-size sweep's files: the CSV's columns, the JSON's fields, the page and its plots.</summary>
public class BatchSizeReportTests
{
    // A sweep on the curve S = 200 + 20000 / B (B_crit 100), with batch 1024 missing the target.
    static BatchSizeSweepResult Sweep()
    {
        var sizes = new[] { 16, 64, 256, 1024 };
        var runs = sizes.Select(b => new BatchSizeRun
        {
            BatchSize = b,
            LearningRate = 1e-3 * Math.Sqrt(b / 32.0),
            Checkpoints = Enumerable.Range(0, 30).Select(k =>
            {
                long examples = (long)(b * Math.Pow(1.3, k));
                return new LossCheckpoint(examples / b, examples, examples / (5e3 + 50.0 * b), 0.7 * Math.Exp(-examples / (20000.0 + 200 * b)) + 0.1, 80 + k);
            }).ToList(),
            Report = new TrainingReport { Task = "BinaryClassification", MetricName = "Accuracy", LossName = "LogLoss", Epochs = Array.Empty<EpochReport>(), Device = "cpu" },
        }).ToList();
        var points = sizes.Select(b => new BatchSizePoint
        {
            BatchSize = b, LearningRate = 1e-3 * Math.Sqrt(b / 32.0), SamplesPerSecond = 5e3 + 50.0 * b,
            Steps = b == 1024 ? null : 200 + 20000.0 / b, Examples = b == 1024 ? null : (200 + 20000.0 / b) * b,
            Seconds = b == 1024 ? null : (200 + 20000.0 / b) * b / (5e3 + 50.0 * b),
            TrainMetric = 0.95, ValidationMetric = 0.93 - b / 1e5, Gap = 0.02 + b / 1e5, GradientNoiseScale = 90 + b / 10.0,
        }).ToList();
        var fit = CriticalBatchSizeFit.Fit(points.Where(p => p.ReachedTarget).Select(p => (p.Steps!.Value, p.Examples!.Value)));
        return new BatchSizeSweepResult
        {
            Task = "BinaryClassification", MetricName = "Accuracy", LossName = "LogLoss", TargetLoss = 0.3, TargetGiven = false,
            LearningRateSelection = LearningRateSelection.ScalingRule, LearningRateRule = LearningRateScaling.SquareRoot,
            TrainRows = 4000, ValidationRows = 1000, Runs = runs, Points = points, Fit = fit, GradientNoiseScale = 96.4,
            Recommendation = new BatchSizeRecommendation(64, 128, 90.5, "Fastest to validation loss 0.3 on this machine: batch size 64 <b>."),
            Notes = new[] { "Batch size 1024 did not reach the validation loss 0.3 within its budget." },
        };
    }

    [Fact]
    public void WritesTheCsvWithOneRowPerBatchSizeAndEmptyCellsWhereTheTargetWasMissed()
    {
        using var folder = new TempFolder();
        var files = BatchSizeReport.Write(folder.Path, new BatchSizeReportInput { Title = "adult.csv", Result = Sweep() });
        Assert.Equal(Path.Combine(folder.Path, "batch-size.csv"), files.CsvPath);
        var lines = File.ReadAllLines(files.CsvPath);
        Assert.Equal("batch_size,learning_rate,steps,examples,seconds,samples_per_second,train_metric,validation_metric,gap,gradient_noise_scale", lines[0]);
        Assert.Equal(5, lines.Length);
        var first = lines[1].Split(',');
        Assert.Equal("16", first[0]);
        Assert.Equal(1450, double.Parse(first[2], System.Globalization.CultureInfo.InvariantCulture), 9);
        var missed = lines[4].Split(',');
        Assert.Equal(new[] { "1024", "", "", "" }, new[] { missed[0], missed[2], missed[3], missed[4] });
        Assert.NotEqual("", missed[5]);
    }

    [Fact]
    public void WritesTheJsonWithTheRowsTheFitTheNoiseScaleAndTheRecommendation()
    {
        using var folder = new TempFolder();
        var files = BatchSizeReport.Write(folder.Path, new BatchSizeReportInput { Title = "adult.csv", Result = Sweep() });
        using var json = JsonDocument.Parse(File.ReadAllText(files.JsonPath));
        var root = json.RootElement;
        Assert.Equal(100, root.GetProperty("critical_batch_size").GetDouble(), 1e-6);
        Assert.Equal(200, root.GetProperty("s_min").GetDouble(), 1e-6);
        Assert.Equal(20000, root.GetProperty("e_min").GetDouble(), 1e-4);
        Assert.Equal(96.4, root.GetProperty("gradient_noise_scale").GetDouble());
        Assert.Equal(64, root.GetProperty("recommended_batch_size").GetInt32());
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(BatchSizeReport.CsvColumns, rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, rows[3].GetProperty("steps").ValueKind);
        Assert.Equal(0.3, root.GetProperty("target_loss").GetDouble());
    }

    [Fact]
    public void ThePageEmbedsEveryPlotAndEscapesText()
    {
        using var folder = new TempFolder();
        var files = BatchSizeReport.Write(folder.Path, new BatchSizeReportInput
        {
            Title = "a<b>.csv", Result = Sweep(), Settings = new Dictionary<string, string> { ["trainer"] = "torch-mlp" },
        });
        var expected = new[] { "steps-vs-examples.png", "validation-loss-vs-examples.png", "time-to-target.png", "throughput.png", "gap.png", "noise-scale.png" };
        Assert.Equal(expected, files.PlotPaths.Select(Path.GetFileName));
        string html = File.ReadAllText(files.HtmlPath);
        Assert.Equal(expected.Length, System.Text.RegularExpressions.Regex.Matches(html, "<img src=\"data:image/png;base64,").Count);
        foreach (var path in files.PlotPaths)
        {
            var (width, _) = Png.Size(File.ReadAllBytes(path));
            Assert.Equal(900, width);
        }
        Assert.Contains("a&lt;b&gt;.csv", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("B_crit = E_min / S_min", html);
        Assert.Contains("torch-mlp", html);
    }
}
