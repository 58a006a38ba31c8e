using System.Text.Json.Nodes;
using Microsoft.ML;

namespace Pipelines.Cli.Tests;

/// <summary>`pipelines classification` on breast-cancer.csv (binary): the output folder, the model, the tables, and what the console shows.</summary>
public sealed class BinaryClassificationTests(BinaryRun run) : IClassFixture<BinaryRun>
{
    [Fact]
    public void ExitsWithZeroAndWritesTheOutputFolder()
    {
        run.Result.AssertExitCode(0);
        foreach (var file in Outputs.RunFiles)
            Assert.True(File.Exists(Path.Combine(run.Output, file)), $"{file} is missing.{Environment.NewLine}{run.Result}");
        Assert.Contains("trial 1", File.ReadAllText(run.LogFile));
    }

    [Fact]
    public void TheModelLoadsAndPredictsTheFile()
    {
        var ml = new MLContext(seed: 1);
        var model = Outputs.LoadModel(ml, run.Output);
        var scored = model.Transform(Outputs.LoadData(ml, Tool.Dataset("breast-cancer.csv"), "label"));
        var metrics = ml.BinaryClassification.EvaluateNonCalibrated(scored, "Label");
        Assert.True(metrics.Accuracy > 0.85, $"accuracy {metrics.Accuracy:F3}{Environment.NewLine}{run.Result}");
    }

    [Fact]
    public void BothKindsOfTrainerRanAndTheTorchTrialsReportTheirEpochs()
    {
        var trials = Outputs.Trials(run.Output, "cancer");
        Assert.Equal(4, trials.Count);
        Assert.Contains(trials, t => t.Trainer == "torch-mlp");
        Assert.Contains(trials, t => t.Trainer != "torch-mlp");
        Assert.All(trials.Where(t => t.Trainer == "torch-mlp" && t.Status == AutoML.Trials.TrialStatus.Completed),
            t => Assert.InRange(t.IntermediateValues.Count, 3, 5));
    }

    [Fact]
    public void TheLeaderboardHasTheLiveTableColumnsAndEveryTunedParameter()
    {
        var (header, rows) = Outputs.Leaderboard(run.Output);
        foreach (var column in new[] { "rank", "trial", "trainer", "status", "metric", "validation_metric", "train_metric", "gap", "objective",
                     "batch_size", "epochs_run", "learning_rate", "weight_decay", "duration_s", "error" })
            Assert.Contains(column, header);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(run.Output, "trials.json")))!;
        var tuned = json["trials"]!.AsArray().SelectMany(t => t!["parameters"]!["parameters"]!.AsObject().Select(p => "param_" + p.Key)).Distinct();
        Assert.All(tuned, parameter => Assert.Contains(parameter, header));

        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        var best = rows[0];
        Assert.Equal(json["best_trial"]!.GetValue<int>().ToString(), best[Array.IndexOf(header, "trial")]);
        Assert.Equal("completed", best[Array.IndexOf(header, "status")]);
        Assert.Equal("Accuracy", best[Array.IndexOf(header, "metric")]);
        var torch = rows.FirstOrDefault(r => r[Array.IndexOf(header, "trainer")] == "torch-mlp" && r[Array.IndexOf(header, "status")] == "completed");
        if (torch != null)
        {
            Assert.NotEqual("", torch[Array.IndexOf(header, "batch_size")]);
            Assert.NotEqual("", torch[Array.IndexOf(header, "epochs_run")]);
            Assert.NotEqual("", torch[Array.IndexOf(header, "weight_decay")]);
        }
    }

    [Fact]
    public void TrialsJsonHoldsEveryTrialOfTheStudy()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(run.Output, "trials.json")))!;
        Assert.Equal("cancer", json["study"]!.GetValue<string>());
        var ids = json["trials"]!.AsArray().Select(t => t!["id"]!.GetValue<int>()).ToList();
        Assert.Equal(Outputs.Trials(run.Output, "cancer").Select(t => t.Id), ids);
        var torch = json["trials"]!.AsArray().FirstOrDefault(t => t!["trainer"]!.GetValue<string>() == "torch-mlp" && t["status"]!.GetValue<string>() == "completed");
        if (torch != null) Assert.NotNull(torch["training_report"]!["Epochs"]);
    }

    [Fact]
    public void RedirectedOutputIsPlainLinesAndTheMlnetStyleSummary()
    {
        Assert.DoesNotContain('\u001b', run.Result.StdOut);
        Assert.DoesNotContain('\u001b', run.Result.StdErr);
        Assert.Contains("Top", run.Result.StdOut);
        Assert.Contains("models explored", run.Result.StdOut);
        Assert.Contains("Best model: trial", run.Result.StdOut);
        Assert.Contains("generalization gap", run.Result.StdOut);
        Assert.Contains("Best model's parameters", run.Result.StdOut);
        Assert.Contains(Path.Combine(run.Output, "model.zip"), run.Result.StdOut);
        Assert.Matches(@"\[\d\d:\d\d\] trial 1 \S+ (completed|pruned|failed)", run.Result.StdOut);
    }

    [Fact]
    public void TheConsumptionExampleHasAPropertyPerColumnAndAPredictionEngine()
    {
        var code = File.ReadAllText(Outputs.ProgramCs(run.Output));
        var header = File.ReadLines(Tool.Dataset("breast-cancer.csv")).First().Split(',');
        for (int i = 0; i < header.Length; i++) Assert.Contains($"[LoadColumn({i}), ColumnName(\"{header[i]}\")]", code);
        Assert.Contains("CreatePredictionEngine<ModelInput, ModelOutput>", code);
        Assert.Contains("public bool PredictedLabel", code);
        // The console project's build copies ../model.zip next to the program.
        Assert.Contains("mlContext.Model.Load(Path.Combine(AppContext.BaseDirectory, \"model.zip\")", code);
    }

    [Fact]
    public async Task TheConsumptionExampleCompilesAndPredicts()
    {
        // As its header says: a console app with Program.cs and model.zip, referencing ML.NET and Pipelines.Torch.
        var (exitCode, stdout, stderr) = await Tool.RunConsumerApp(run.Output, run.Temp.File("consumer"), new[] { "Microsoft.ML.FastTree" });
        Assert.True(exitCode == 0, $"dotnet run failed:{Environment.NewLine}{stdout}{stderr}");
        Assert.Matches(@"PredictedLabel: (True|False), Score: ", stdout);
    }

    [Fact]
    public void SettingsJsonHoldsTheResolvedRun()
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(run.Output, "settings.json")))!;
        Assert.Equal("classification", settings["command"]!.GetValue<string>());
        Assert.Equal("BinaryClassification", settings["task"]!.GetValue<string>());
        Assert.Equal(Tool.Dataset("breast-cancer.csv"), settings["dataset"]!.GetValue<string>());
        Assert.Equal("Accuracy", settings["metric"]!.GetValue<string>());
        Assert.Equal(4, settings["maxTrials"]!.GetValue<int>());
        Assert.Equal("3..5", settings["epochs"]!.GetValue<string>());
    }

    [Fact]
    public void AFolderHoldingARunIsRefused()
    {
        var before = File.GetLastWriteTimeUtc(Path.Combine(run.Output, "model.zip"));
        var again = Tool.Run("classification", "--dataset", Tool.Dataset("breast-cancer.csv"), "--label-col", "label", "--max-trials", "1", "-o", run.Output);
        again.AssertExitCode(1);
        Assert.Contains("holds another run", again.StdErr);
        Assert.Contains("--force", again.StdErr);
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(run.Output, "model.zip")));
    }

    [Fact]
    public void ReportRebuildsTheFilesMadeFromTheStudy()
    {
        var copy = run.Temp.File("report-copy");
        Directory.CreateDirectory(copy);
        foreach (var file in new[] { "settings.json", "study.db" }) File.Copy(Path.Combine(run.Output, file), Path.Combine(copy, file));
        var result = Tool.Run("report", "--output", copy);
        result.AssertExitCode(0);
        Assert.Equal(File.ReadAllText(Path.Combine(run.Output, "leaderboard.csv")), File.ReadAllText(Path.Combine(copy, "leaderboard.csv")));
        Assert.True(File.Exists(Path.Combine(copy, "trials.json")));
        var html = File.ReadAllText(Path.Combine(copy, "report.html"));
        Assert.Contains("data:image/png;base64,", html);
        Assert.True(Directory.GetFiles(Path.Combine(copy, "plots"), "*.png").Length >= 5);
    }

    [Fact]
    public void TheReportShowsEveryPlotAndHowBatchSizeChangedTheResult()
    {
        var html = File.ReadAllText(Path.Combine(run.Output, "report.html"));
        foreach (var section in new[] { "Optimization history", "Learning curves", "batch size", "Parameter importance", "Leaderboard" })
            Assert.Contains(section, html, StringComparison.OrdinalIgnoreCase);
        var plots = Directory.GetFiles(Path.Combine(run.Output, "plots"), "*.png");
        Assert.True(plots.Length >= 5, $"{plots.Length} plots");
        Assert.Equal(plots.Length, System.Text.RegularExpressions.Regex.Matches(html, "data:image/png;base64,").Count);
    }
}
