using Pipelines.AutoML.Trials;

namespace Pipelines.Cli.Tests.Reliability;

/// <summary>
/// Another SQLite client holds study.db locked (BEGIN EXCLUSIVE) past the busy timeout in the middle of a run: the
/// run stops with exit 1 naming the lock, after writing model.zip and the leaderboard from the trials it has, and no
/// trial is recorded as failed for it.
/// </summary>
public sealed class StudyLockedTests : IDisposable
{
    const string Study = "locked";
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    string Out => _temp.File("run");

    [Fact]
    public async Task AStudyLockedPastTheBusyTimeoutStopsTheRunWithItsResultWritten()
    {
        using var process = Tool.Start(new Dictionary<string, string> { ["PIPELINES_STUDY_BUSY_TIMEOUT"] = "0.3" },
            "classification", "--dataset", Tool.Dataset("breast-cancer.csv"), "--label-col", "label", "--trainers", "linear",
            "--max-trials", "500", "--train-time", "60", "--tuner", "random", "--name", Study, "-o", Out);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var finished = Running.WaitForFinishedTrials(process, Out, Study, 2);

        using (var holder = Running.Exclusive(Path.Combine(Out, "study.db")))
        {
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "the run did not stop within a minute of the lock");
        }
        var result = new ToolResult(process.ExitCode, await output, await error, new[] { "classification", "(study locked)" });

        result.AssertOneClearError(1, "the study could not be written", "locked by another process", "pipelines resume");
        foreach (var file in new[] { "model.zip", "leaderboard.csv", "trials.json" }) Assert.True(File.Exists(Path.Combine(Out, file)), $"{file} is missing.{Environment.NewLine}{result}");
        var trials = Outputs.Trials(Out, Study);
        Assert.DoesNotContain(trials, t => t.Status == TrialStatus.Failed);
        foreach (var trial in finished.Where(t => t.IsFinished)) Assert.Equal(trial.Status, trials.Single(t => t.Id == trial.Id).Status);
        var (_, rows) = Outputs.Leaderboard(Out);
        Assert.True(rows.Count >= finished.Count(t => t.IsFinished), result.ToString());
    }
}
