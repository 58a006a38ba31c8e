using System.Diagnostics;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.Testing;

namespace Pipelines.AutoML.Tests.Storage;

/// <summary>
/// A PostgreSQL server that goes down in the middle of a trial and comes back costs the worker retries, not the
/// trial: the call made while it is down waits and succeeds, and the trial goes on to finish. The server is a
/// cluster of this test's own (.ci/postgres on another port), so stopping it disturbs no other test.
/// </summary>
public sealed class PostgresRestartTests : IDisposable
{
    readonly string _folder = Path.Combine("/tmp", "pg-restart-" + Guid.NewGuid().ToString("N")[..8]);
    readonly string _port = Random.Shared.Next(56000, 60000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => Cluster("stop");

    [Fact]
    public async Task AServerRestartDuringATrialCostsRetriesNotTheTrial()
    {
        var started = Cluster("start");
        var url = started[(started.IndexOf('=') + 1)..].Trim();
        using var storage = StudyStorageFactory.Open(url);
        storage.CreateOrOpenStudy("restart", OptimizationDirection.Maximize, "accuracy", "{}");
        int id = storage.CreateTrial("restart", Parameter.FromJson("""{"lr":0.1}"""), "TorchMlp", DateTimeOffset.UtcNow);
        storage.ReportIntermediate(id, 0, 0.5);

        Cluster("down");
        var whileDown = Task.Run(() => storage.ReportIntermediate(id, 1, 0.6));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(whileDown.IsCompleted, "the call made while the server was down should wait for it");
        Cluster("up");
        await whileDown.WaitAsync(TimeSpan.FromSeconds(60));

        storage.FinishTrial(id, TrialStatus.Completed, 0.6, 0.6, 0.7, 0.1, null, DateTimeOffset.UtcNow, 3);
        var trial = storage.GetTrial(id);
        Assert.Equal(TrialStatus.Completed, trial.Status);
        Assert.Equal(new[] { 0.5, 0.6 }, trial.IntermediateValues.Select(v => v.Value));
        Assert.Single(storage.GetTrials("restart"));
    }

    /// <summary>Runs .ci/postgres on this test's folder and port; returns what it printed.</summary>
    string Cluster(string command)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryPaths.Root, ".ci", "postgres"), command)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["PIPELINES_PG_DIR"] = _folder;
        start.Environment["PIPELINES_PG_PORT"] = _port;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), $".ci/postgres {command} did not finish");
        Assert.True(process.ExitCode == 0, $".ci/postgres {command} failed (it needs PostgreSQL installed): {error}");
        return output.Result;
    }
}
