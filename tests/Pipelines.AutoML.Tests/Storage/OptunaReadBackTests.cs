using System.Diagnostics;
using System.Text.Json.Nodes;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.Testing;

namespace Pipelines.AutoML.Tests.Storage;

/// <summary>
/// Python's Optuna (Debian's python3-optuna, 3.1, under /usr/bin/python3) opens a study Pipelines wrote, on SQLite
/// and on PostgreSQL, and sees every trial's state, parameters, value and intermediate values (Optuna/read_study.py
/// prints what it sees). Without that Optuna the test fails, saying how to install it.
/// </summary>
public sealed class OptunaReadBackTests
{
    const string Study = "read-back";
    const string Python = "/usr/bin/python3";

    [Fact]
    public void OptunaReadsAStudyOnSqlite()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pipelines-optuna-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var file = Path.Combine(folder, "study.db");
            using (var storage = StudyStorageFactory.Open(file)) WriteStudy(storage);
            AssertOptunaSees(ReadWithOptuna("sqlite:///" + file));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void OptunaReadsAStudyOnPostgres()
    {
        var url = TestPostgres.CreateDatabase();
        try
        {
            using (var storage = StudyStorageFactory.Open(url)) WriteStudy(storage);
            AssertOptunaSees(ReadWithOptuna(TestPostgres.ForOptuna(url)));
        }
        finally
        {
            TestPostgres.DropDatabase(url);
        }
    }

    static void WriteStudy(IStudyStorage storage)
    {
        storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", "{}", new Dictionary<string, string> { ["task"] = "BinaryClassification" });
        var t0 = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var point = Parameter.FromJson("""{"trainer":"TorchMlp","TorchMlp":{"learning_rate":0.003,"batch_size":64,"shuffle":true}}""");
        int completed = storage.CreateTrial(Study, point, "TorchMlp", t0);
        storage.ReportIntermediate(completed, 0, 0.71);
        storage.ReportIntermediate(completed, 1, 0.78);
        storage.SetTrialAttribute(completed, TrialAttributes.Seed, "7");
        storage.FinishTrial(completed, TrialStatus.Completed, 0.8, 0.8, 0.83, 0.03, null, t0.AddSeconds(9), 9);
        int pruned = storage.CreateTrial(Study, Parameter.FromJson("""{"trainer":"FastTree","FastTree":{"trees":20}}"""), "FastTree", t0.AddSeconds(10));
        storage.ReportIntermediate(pruned, 0, double.NegativeInfinity);
        storage.FinishTrial(pruned, TrialStatus.Pruned, 0.5, 0.5, 0.5, 0, null, t0.AddSeconds(11), 1);
        int diverged = storage.CreateTrial(Study, point, "TorchMlp", t0.AddSeconds(12));
        storage.ReportIntermediate(diverged, 0, double.NaN);
        storage.FinishTrial(diverged, TrialStatus.Diverged, double.NaN, double.NaN, null, null, "loss is NaN", t0.AddSeconds(13), 1);
        storage.CreateTrial(Study, point, "TorchMlp", t0.AddSeconds(14));
    }

    static void AssertOptunaSees(JsonNode seen)
    {
        Assert.StartsWith("3.", (string)seen["optuna"]!);
        Assert.Equal("MAXIMIZE", (string)seen["direction"]!);
        Assert.Equal("BinaryClassification", (string)seen["user_attrs"]!["task"]!);
        var trials = seen["trials"]!.AsArray();
        Assert.Equal(new[] { 0, 1, 2, 3 }, trials.Select(t => (int)t!["number"]!));
        Assert.Equal(new[] { "COMPLETE", "PRUNED", "FAIL", "RUNNING" }, trials.Select(t => (string)t!["state"]!));

        var completed = trials[0]!;
        Assert.Equal(0.8, (double)completed["value"]!);
        Assert.Equal(0.003, (double)completed["params"]!["TorchMlp.learning_rate"]!);
        Assert.Equal(64, (int)completed["params"]!["TorchMlp.batch_size"]!);
        Assert.True((bool)completed["params"]!["TorchMlp.shuffle"]!);
        Assert.Equal("TorchMlp", (string)completed["params"]!["trainer"]!);
        Assert.Equal(0.71, (double)completed["intermediate_values"]!["0"]!);
        Assert.Equal(0.78, (double)completed["intermediate_values"]!["1"]!);
        Assert.Equal("7", (string)completed["user_attrs"]![TrialAttributes.Seed]!);
        Assert.Equal("TorchMlp", (string)completed["trainer"]!);

        Assert.Equal(0.5, (double)trials[1]!["value"]!);
        Assert.Equal(20, (int)trials[1]!["params"]!["FastTree.trees"]!);
        Assert.Equal("-inf", (string)trials[1]!["intermediate_values"]!["0"]!);
        Assert.Null(trials[2]!["value"]);
        Assert.Equal("nan", (string)trials[2]!["intermediate_values"]!["0"]!);
        Assert.Equal(4, trials[3]!["params"]!.AsObject().Count);
    }

    static JsonNode ReadWithOptuna(string storageUrl)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: this test needs Debian's python3 with python3-optuna and python3-psycopg2 (apt-get install python3-optuna python3-psycopg2; .ci/run installs them).");
        var script = Path.Combine(AppContext.BaseDirectory, "Storage", "Optuna", "read_study.py");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, storageUrl, Study }) start.ArgumentList.Add(argument);
        using var python = Process.Start(start)!;
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEnd();
        Assert.True(python.WaitForExit(60_000), "Optuna did not finish within a minute.");
        Assert.True(python.ExitCode == 0, $"Optuna could not read the study (install python3-optuna and python3-psycopg2 if it is missing):\n{stderr}");
        return JsonNode.Parse(stdout.Result)!;
    }
}
