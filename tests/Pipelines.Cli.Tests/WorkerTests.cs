using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.Testing;

namespace Pipelines.Cli.Tests;

/// <summary>
/// Real worker processes on one PostgreSQL study: a search creates it, three `pipelines worker`s join it, one is
/// killed (SIGKILL) in the middle of a trial. No trial number is taken twice, the killed trial is failed as
/// interrupted and run again exactly once by a live worker, every trial a worker reported completed is in the study,
/// and `pipelines export` writes a model that plain ML.NET loads and scores with.
/// </summary>
[Collection(Name)]
public sealed class WorkerTests : IDisposable
{
    /// <summary>Run alone, after the other tests: three training processes on a loaded machine are slow enough.</summary>
    public const string Name = "worker processes";

    const string Study = "iris-shared";
    readonly TempFolder _temp = new();
    readonly string _url = TestPostgres.CreateDatabase();

    public void Dispose()
    {
        _temp.Dispose();
        TestPostgres.DropDatabase(_url);
    }

    [Fact]
    public async Task ThreeWorkersShareOneStudyAndAKilledOnesTrialIsRunAgainOnce()
    {
        // Tiny networks for 20 to 30 epochs: trials of a few seconds, long enough to be killed in.
        var space = _temp.Write("space.json", new[] { """{ "torch-mlp": { "width": { "type": "int", "min": 8, "max": 16 }, "depth": { "type": "int", "min": 1, "max": 1 } } }""" });
        Tool.Run("classification", "--dataset", Tool.Dataset("iris.csv"), "--label-col", "species", "--trainers", "torch-mlp", "--search-space", space,
            "--batch-sizes", "64..64", "--epochs", "20..30", "--max-trials", "1", "--storage", _url, "--study", Study, "-o", _temp.File("creator"))
            .AssertExitCode(0);

        // Three trials each, however slow the machine: the live workers ask again after the kill, and so rerun the killed trial.
        var workers = Enumerable.Range(0, 3).Select(i => Tool.Start("worker", "--storage", _url, "--study", Study, "--max-trials", "3",
            "--heartbeat-grace", "3", "-o", _temp.File($"worker{i}"))).ToList();
        var outputs = workers.Select(w => (Out: w.StandardOutput.ReadToEndAsync(), Err: w.StandardError.ReadToEndAsync())).ToList();
        try
        {
            await UntilRunningWithAnEpoch(workers[0]);
            workers[0].Kill();
            foreach (var worker in workers.Skip(1))
                Assert.True(worker.WaitForExit(TimeSpan.FromMinutes(4)), "a worker ran far past its budget");
        }
        finally
        {
            foreach (var worker in workers.Where(w => !w.HasExited)) worker.Kill(entireProcessTree: true);
        }
        for (int i = 1; i < 3; i++) Assert.True(workers[i].ExitCode == 0, $"worker {i}: {await outputs[i].Out}{await outputs[i].Err}");

        using var storage = StudyStorageFactory.Open(_url);
        var trials = storage.GetTrials(Study);
        var numbers = TestPostgres.Column(_url, "SELECT number FROM trials ORDER BY number;").Select(int.Parse).ToList();
        Assert.Equal(Enumerable.Range(0, trials.Count), numbers);

        // The trial the kill cut off: the killed worker's, failed as interrupted by a live worker.
        var killedIds = TestPostgres.Column(_url, OfWorker(workers[0].Id) + ";").Select(int.Parse).ToHashSet();
        var interrupted = trials.Where(t => killedIds.Contains(t.Id) && t.Error == IStudyStorage.InterruptedError).ToList();
        Assert.True(interrupted.Count == 1, $"the killed worker's trials {string.Join(", ", killedIds)}; the study's: " +
            string.Join("; ", trials.Select(t => $"{t.Id} {t.Status} {t.Error}")) + $"\n{await outputs[1].Out}");
        var killed = interrupted[0];
        Assert.Equal(TrialStatus.Failed, killed.Status);
        Assert.NotEmpty(killed.IntermediateValues);
        var rerun = trials.Single(t => t.Id == int.Parse(killed.Attributes[TrialAttributes.RequeuedAs], CultureInfo.InvariantCulture));
        Assert.Equal(killed.Parameters, rerun.Parameters);
        Assert.Single(trials, t => t.Id != killed.Id && t.Parameters.Equals(killed.Parameters));
        Assert.NotEqual(IStudyStorage.InterruptedError, rerun.Error);
        Assert.DoesNotContain(trials, t => t.Status == TrialStatus.Running);

        foreach (var (output, _) in outputs.Skip(1))
            foreach (Match line in Regex.Matches(await output, @"trial (\d+) \S+ completed"))
                Assert.Equal(TrialStatus.Completed, trials.Single(t => t.Id == int.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture)).Status);
        AssertExportedModelScores();
    }

    /// <summary>The ids of the trials the worker process <paramref name="processId"/> created (its identity is a system attribute).</summary>
    static string OfWorker(int processId) => $"""
        SELECT t.trial_id FROM trials t
        JOIN trial_system_attributes a ON a.trial_id = t.trial_id AND a."key" = '{OptunaAttributes.Worker}'
        WHERE a.value_json LIKE '%"pid":{processId},%'
        """;

    /// <summary>Returns once <paramref name="worker"/> runs a trial that has reported an epoch: the middle of a trial.</summary>
    async Task UntilRunningWithAnEpoch(Process worker)
    {
        var sql = OfWorker(worker.Id) + " AND t.state = 'RUNNING' AND EXISTS (SELECT 1 FROM trial_intermediate_values v WHERE v.trial_id = t.trial_id);";
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !worker.HasExited)
        {
            if (TestPostgres.Column(_url, sql).Count > 0) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The first worker never had a trial running with an epoch reported.");
    }

    void AssertExportedModelScores()
    {
        var output = _temp.File("export");
        Tool.Run("export", "--storage", _url, "--study", Study, "-o", output).AssertExitCode(0);
        var ml = new MLContext(0);
        var model = Outputs.LoadModel(ml, output);
        var scored = model.Transform(Outputs.LoadData(ml, Tool.Dataset("iris.csv"), "species"));
        Assert.Equal(150, scored.GetColumn<string>("PredictedLabel").Count(label => label is "setosa" or "versicolor" or "virginica"));
        Assert.True(File.Exists(Path.Combine(output, "model.onnx")));
        Assert.True(File.Exists(Path.Combine(output, "leaderboard.csv")));
    }
}

/// <summary>Runs <see cref="WorkerTests"/> without other tests beside it.</summary>
[CollectionDefinition(WorkerTests.Name, DisableParallelization = true)]
public sealed class WorkerProcessesCollection;
