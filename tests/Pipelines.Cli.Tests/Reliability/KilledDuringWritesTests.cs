using System.Text.Json;
using Microsoft.ML;

namespace Pipelines.Cli.Tests.Reliability;

/// <summary>
/// A run killed (SIGKILL) as soon as its last trial is in the study, while it writes model.zip, the leaderboard and
/// the rest: every file it left is whole (written to a temporary file and renamed), the lock died with it, and
/// `report` rebuilds the study's files.
/// </summary>
public sealed class KilledDuringWritesTests : IDisposable
{
    const string Study = "killed";
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ARunKilledDuringItsFinalWritesLeavesNoHalfFile()
    {
        var output = _temp.File("run");
        using var process = Tool.Start("classification", "--dataset", Tool.Dataset("breast-cancer.csv"), "--label-col", "label",
            "--trainers", "linear,fasttree", "--max-trials", "3", "--name", Study, "-o", output);
        var drained = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        var finished = WaitForAllTrials(process, output);
        process.Kill();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        await drained.WaitAsync(TimeSpan.FromSeconds(10));

        AssertWhole(output);
        var report = Tool.Run("report", "--output", output);
        report.AssertExitCode(0);
        Assert.True(Outputs.Leaderboard(output).Rows.Count >= finished.Count(t => t.IsFinished), report.ToString());
        // A temporary file the kill left behind carries the killed process's id.
        Assert.All(Directory.GetFiles(output, "*.tmp"), f => Assert.Contains($".{process.Id}.", Path.GetFileName(f)));
    }

    /// <summary>Each output file present can be read in full: JSON parses, model.zip loads, the leaderboard has its header.</summary>
    static void AssertWhole(string folder)
    {
        foreach (var json in new[] { "settings.json", "trials.json" }.Select(f => Path.Combine(folder, f)).Where(File.Exists))
            JsonDocument.Parse(File.ReadAllText(json)).Dispose();
        if (File.Exists(Path.Combine(folder, "model.zip"))) Outputs.LoadModel(new MLContext(1), folder);
        if (File.Exists(Path.Combine(folder, "leaderboard.csv"))) Assert.StartsWith("rank,", File.ReadAllText(Path.Combine(folder, "leaderboard.csv")));
    }

    static IReadOnlyList<Pipelines.AutoML.Trials.TrialRecord> WaitForAllTrials(System.Diagnostics.Process process, string output)
    {
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromMinutes(1); Thread.Sleep(20))
        {
            if (process.HasExited) throw new Xunit.Sdk.XunitException($"the run ended (exit {process.ExitCode}) before it could be killed.");
            if (!File.Exists(Path.Combine(output, "study.db"))) continue;
            var trials = Outputs.Trials(output, Study);
            if (trials.Count(t => t.IsFinished) >= 3) return trials;
        }
        throw new TimeoutException("the run did not finish its trials in a minute.");
    }
}
