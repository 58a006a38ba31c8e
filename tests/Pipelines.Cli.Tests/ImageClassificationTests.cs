using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.Torch.Data;

namespace Pipelines.Cli.Tests;

/// <summary>`pipelines image-classification` on a Fashion-MNIST folder: the same output folder as the other commands, and a model that takes pixels.</summary>
public sealed class ImageClassificationTests(ImageRun run) : IClassFixture<ImageRun>
{
    [Fact]
    public void ExitsWithZeroAndWritesTheOutputFolder()
    {
        run.Result.AssertExitCode(0);
        foreach (var file in Outputs.RunFiles)
            Assert.True(File.Exists(Path.Combine(run.Output, file)), $"{file} is missing.{Environment.NewLine}{run.Result}");
        Assert.Contains("Data: 160 images in 4 classes from train (Bag: 40, Sneaker: 40, T-shirt_top: 40, Trouser: 40); 1 x 28 x 28", run.Result.StdOut);
        Assert.Contains("Searching torch-cnn", run.Result.StdOut);
        Assert.Contains("MulticlassClassification (image-classification)", run.Result.StdOut);
    }

    [Fact]
    public void TheModelLoadsAndClassifiesHeldOutImagesAsTheSummarySays()
    {
        var ml = new MLContext(seed: 1);
        var model = Outputs.LoadModel(ml, run.Output);
        var test = ImageFolder.Load(ml, run.Test, new ImageFolderOptions { ColorMode = ImageColorMode.Grayscale }).Data;
        var scored = model.Transform(test);
        var predicted = scored.GetColumn<string>("PredictedLabel").ToList();
        var actual = test.GetColumn<string>("Label").ToList();
        double accuracy = predicted.Zip(actual).Count(p => p.First == p.Second) / (double)actual.Count;
        Assert.True(accuracy > 0.5, $"held-out accuracy {accuracy:F3} (chance 0.25){Environment.NewLine}{run.Result}");
        Assert.Subset(ImageRun.Classes.ToHashSet(), predicted.ToHashSet());

        var printed = double.Parse(Regex.Match(run.Result.StdOut, @"Test MicroAccuracy of the best model on test: ([0-9.]+)\.").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(printed, accuracy, 3);
    }

    [Fact]
    public void TheOnnxModelIsTheNetworkOnThePixels()
    {
        var onnx = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(run.Output, "model.onnx")));
        var input = Assert.Single(onnx.Graph.Input);
        Assert.Equal("Features", input.Name);
        Assert.Equal(28 * 28, input.Type.TensorType.Shape.Dim[^1].DimValue);
        Assert.Contains("input 'Features' (the pixels", run.Result.StdOut);
    }

    [Fact]
    public void TheLeaderboardHasEveryTrialAndTheCnnParameters()
    {
        var (header, rows) = Outputs.Leaderboard(run.Output);
        foreach (var column in new[] { "rank", "trial", "trainer", "status", "metric", "validation_metric", "train_metric", "gap", "objective",
                     "batch_size", "epochs_run", "learning_rate", "weight_decay", "duration_s", "error",
                     "param_architecture", "param_augmentation", "param_batch_size", "param_depth", "param_epochs", "param_learning_rate",
                     "param_weight_decay", "param_width" })
            Assert.Contains(column, header);
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal("torch-cnn", r[Array.IndexOf(header, "trainer")]);
            Assert.Equal("completed", r[Array.IndexOf(header, "status")]);
            Assert.Equal("MicroAccuracy", r[Array.IndexOf(header, "metric")]);
            Assert.InRange(int.Parse(r[Array.IndexOf(header, "epochs_run")], CultureInfo.InvariantCulture), 2, 3);
            Assert.Contains(r[Array.IndexOf(header, "batch_size")], new[] { "16", "32" });
            Assert.Equal("16", r[Array.IndexOf(header, "param_width")]);
        });
    }

    [Fact]
    public void TheReportShowsEveryPlot()
    {
        var html = File.ReadAllText(Path.Combine(run.Output, "report.html"));
        foreach (var section in new[] { "Optimization history", "Learning curves", "batch size", "Parameter importance", "Leaderboard", "torch-cnn" })
            Assert.Contains(section, html, StringComparison.OrdinalIgnoreCase);
        var plots = Directory.GetFiles(Path.Combine(run.Output, "plots"), "*.png");
        Assert.True(plots.Length >= 5, $"{plots.Length} plots: {string.Join(", ", plots.Select(Path.GetFileName))}");
        Assert.Contains(plots, p => Path.GetFileName(p).Contains("importance", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(plots.Length, Regex.Matches(html, "data:image/png;base64,").Count);
    }

    [Fact]
    public void TheConsumptionExampleReadsImagesAsTrainingDid()
    {
        var code = File.ReadAllText(Outputs.ProgramCs(run.Output));
        Assert.Contains("ImageFolder.Load(mlContext, \"" + run.Train + "\"", code);
        Assert.Contains("new ImageFolderOptions { Width = 28, Height = 28, ColorMode = ImageColorMode.Grayscale }", code);
        Assert.Contains("[ColumnName(\"Features\"), VectorType(1, 28, 28)]", code);
        Assert.Contains("ExtractPixels", code);
        Assert.Contains("CreatePredictionEngine<ModelInput, ModelOutput>", code);
        Assert.Contains("public string PredictedLabel", code);
        Assert.Contains("RegisterAssembly(typeof(Pipelines.Torch.TorchCatalog).Assembly)", code);
    }

    [Fact]
    public async Task TheConsumptionExampleCompilesAndPredicts()
    {
        // Pipelines.Torch is already built (the tool needs it); not building it again keeps this test off the files that
        // the binary run's consumer test may be building at the same time.
        var (exitCode, stdout, stderr) = await Tool.RunConsumerApp(run.Output, run.Temp.File("consumer"), Array.Empty<string>(), buildProjectReferences: false);
        Assert.True(exitCode == 0, $"dotnet run failed:{Environment.NewLine}{stdout}{stderr}");
        Assert.Contains(Path.Combine(run.Train, "Bag") + Path.DirectorySeparatorChar, stdout);
        Assert.Matches(@"PredictedLabel: (Bag|Sneaker|T-shirt_top|Trouser), Score: \[", stdout);
    }

    [Fact]
    public void SettingsJsonRecordsAnImageRunForResumeAndReport()
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(run.Output, "settings.json")))!;
        Assert.Equal("image-classification", settings["command"]!.GetValue<string>());
        Assert.Equal("MulticlassClassification", settings["task"]!.GetValue<string>());
        // The trailing separator given on the command line is dropped, so titles name the folder.
        Assert.Equal(run.Train, settings["dataset"]!.GetValue<string>());
        Assert.Equal(run.Test, settings["testDataset"]!.GetValue<string>());
        Assert.Equal("torch-cnn", settings["trainers"]![0]!.GetValue<string>());
        Assert.Equal("MicroAccuracy", settings["metric"]!.GetValue<string>());
        Assert.False(settings["skipCorruptImages"]!.GetValue<bool>());
    }

    [Fact]
    public void ReportRebuildsTheFilesOfAnImageRun()
    {
        var copy = run.Temp.File("report-copy");
        Directory.CreateDirectory(copy);
        foreach (var file in new[] { "settings.json", "study.db" }) File.Copy(Path.Combine(run.Output, file), Path.Combine(copy, file));
        var result = Tool.Run("report", "--output", copy);
        result.AssertExitCode(0);
        Assert.Equal(File.ReadAllText(Path.Combine(run.Output, "leaderboard.csv")), File.ReadAllText(Path.Combine(copy, "leaderboard.csv")));
        Assert.Contains("images: train", File.ReadAllText(Path.Combine(copy, "report.html")));
    }
}
