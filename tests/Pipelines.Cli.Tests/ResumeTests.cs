using System.Diagnostics;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.Cli.Tests;

/// <summary>
/// An interrupted run continues with `pipelines resume`: stopped by Ctrl+C (the clean path) or killed (the crash
/// path), its finished trials stay as they were and the study grows.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    const string Study = "interrupted";
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    string Out => _temp.File("run");

    /// <summary>A long run (many trials) that the test interrupts; torch-mlp trials train long enough to be caught running.</summary>
    Process StartLongRun(string trainers, string epochs) => Tool.Start("classification", "--dataset", Tool.Dataset("breast-cancer.csv"),
        "--label-col", "label", "--trainers", trainers, "--epochs", epochs, "--batch-sizes", "16..32", "--max-trials", "200",
        "--tuner", "random", "--pruner", "none", "--name", Study, "-o", Out);

    /// <summary>A long image run (the default pruner, asha) on 3 Fashion-MNIST classes of 30 images.</summary>
    Process StartLongImageRun() => Tool.Start("image-classification",
        "--dataset", ImageFolders.Subset(_temp.File("images"), new[] { "Bag", "Sandal", "Trouser" }, skip: 0, take: 30),
        "--epochs", "3..6", "--batch-sizes", "16", "--max-trials", "200", "--tuner", "random", "--name", Study, "-o", Out);

    /// <summary>Waits until study.db holds <paramref name="finished"/> finished trials (and, if asked, one running).</summary>
    IReadOnlyList<TrialRecord> WaitForFinishedTrials(Process process, int finished, bool andOneRunning = false)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (process.HasExited) throw new Xunit.Sdk.XunitException($"the run ended early with exit code {process.ExitCode}.");
            // settings.json comes first, study.db once the data is loaded: opening it earlier would create it.
            if (File.Exists(Path.Combine(Out, "study.db")))
            {
                var trials = Outputs.Trials(Out, Study);
                if (trials.Count(t => t.IsFinished) >= finished && (!andOneRunning || trials.Any(t => !t.IsFinished))) return trials;
            }
            Thread.Sleep(100);
        }
        throw new TimeoutException($"study.db did not reach {finished} finished trials in 2 minutes.");
    }

    static void AssertKept(IEnumerable<TrialRecord> before, IReadOnlyList<TrialRecord> after)
    {
        foreach (var trial in before.Where(t => t.IsFinished))
        {
            var now = after.Single(t => t.Id == trial.Id);
            Assert.Equal(trial.Status, now.Status);
            Assert.Equal(trial.Parameters, now.Parameters);
            Assert.Equal(trial.ValidationMetric, now.ValidationMetric);
            Assert.Equal(trial.IntermediateValues, now.IntermediateValues);
        }
    }

    [Fact]
    public async Task CtrlCStopsCleanlyAndResumeContinuesTheStudy()
    {
        using var process = StartLongRun("linear,torch-mlp", "5..10");
        // Drained as the run goes, so it never blocks on a full pipe.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        WaitForFinishedTrials(process, 3);

        Signals.Interrupt(process);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "the run did not stop within a minute of Ctrl+C");
        var (stdout, stderr) = (await output, await error);
        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}{Environment.NewLine}{stdout}{stderr}");
        Assert.Contains("pipelines resume --output", stdout);
        var stopped = Outputs.Trials(Out, Study);
        Assert.All(stopped, t => Assert.True(t.IsFinished, $"trial {t.Id} is still {t.Status} after a clean stop"));
        Assert.True(File.Exists(Path.Combine(Out, "leaderboard.csv")));

        var resumed = Tool.Run("resume", "--output", Out, "--max-trials", "2");
        resumed.AssertExitCode(0);
        var after = Outputs.Trials(Out, Study);
        Assert.Equal(stopped.Count + 2, after.Count);
        AssertKept(stopped, after);
        Assert.True(File.Exists(Path.Combine(Out, "model.zip")));
        Assert.Equal(after.Count, Outputs.Leaderboard(Out).Rows.Count);
    }

    [Fact]
    public void AKilledRunIsRecoveredAndItsInterruptedTrialRunsAgainFirst()
    {
        using var process = StartLongRun("torch-mlp", "10..12");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        // Killed while a trial trains (not in the moment between two trials), as a crash mostly happens.
        WaitForFinishedTrials(process, 2, andOneRunning: true);

        process.Kill();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        var killed = Outputs.Trials(Out, Study);
        var running = killed.Where(t => t.Status == TrialStatus.Running).ToList();
        Assert.Single(running);

        var resumed = Tool.Run("resume", "--output", Out, "--max-trials", "2");
        resumed.AssertExitCode(0);
        Assert.Contains("left running by a stopped process", resumed.StdOut);
        var after = Outputs.Trials(Out, Study);
        Assert.Equal(killed.Count + 2, after.Count);
        AssertKept(killed, after);
        var interrupted = after.Single(t => t.Id == running[0].Id);
        Assert.Equal(TrialStatus.Failed, interrupted.Status);
        Assert.Equal(IStudyStorage.InterruptedError, interrupted.Error);
        // Its epochs so far are kept, and its configuration is the first one the resumed run trained.
        Assert.Equal(running[0].IntermediateValues.Count, interrupted.IntermediateValues.Count);
        var rerun = after.Where(t => t.Id > interrupted.Id).OrderBy(t => t.Id).First();
        Assert.Equal(interrupted.Parameters, rerun.Parameters);
    }

    [Fact]
    public async Task AnInterruptedImageRunResumesAsAnImageRun()
    {
        using var process = StartLongImageRun();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        WaitForFinishedTrials(process, 2);

        Signals.Interrupt(process);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "the run did not stop within a minute of Ctrl+C");
        var (stdout, stderr) = (await output, await error);
        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}{Environment.NewLine}{stdout}{stderr}");
        var stopped = Outputs.Trials(Out, Study);
        Assert.Contains("\"pruner\": \"asha\"", File.ReadAllText(Path.Combine(Out, "settings.json")));

        // Resume reads the folder, not a data file: settings.json says it is an image run.
        var resumed = Tool.Run("resume", "--output", Out, "--max-trials", "1");
        resumed.AssertExitCode(0);
        Assert.Contains("image-classification on", resumed.StdOut);
        Assert.Contains("Data: 90 images in 3 classes", resumed.StdOut);
        var after = Outputs.Trials(Out, Study);
        Assert.Equal(stopped.Count + 1, after.Count);
        AssertKept(stopped, after);
        Assert.All(after, t => Assert.Equal("torch-cnn", t.Trainer));
        Assert.Contains("ImageFolder.Load", File.ReadAllText(Outputs.ProgramCs(Out)));
        Assert.True(File.Exists(Path.Combine(Out, "model.zip")));
    }
}
