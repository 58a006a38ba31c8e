using System.Diagnostics;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.Cli.Tests.Reliability;

/// <summary>
/// One owner per output folder: a second process (a new run, --force, resume) against a live run gets exit 1 naming
/// the owner and changes nothing; once the owner is killed, resume takes over and re-runs the trial it left.
/// </summary>
public sealed class FolderOwnerTests : IDisposable
{
    const string Study = "owned";
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    string Out => _temp.File("run");

    string[] Classification(params string[] more) => new[]
    {
        "classification", "--dataset", Tool.Dataset("breast-cancer.csv"), "--label-col", "label", "--trainers", "linear",
        "--tuner", "random", "--name", Study, "-o", Out,
    }.Concat(more).ToArray();

    [Fact]
    public async Task ASecondProcessAgainstALiveRunIsRefusedNamingItsOwnerAndResumeTakesOverOnceItIsKilled()
    {
        using var owner = Tool.Start(Classification("--max-trials", "500", "--train-time", "90"));
        var output = owner.StandardOutput.ReadToEndAsync();
        var error = owner.StandardError.ReadToEndAsync();
        var before = Running.WaitForFinishedTrials(owner, Out, Study, 2);
        var named = new[] { $"in use by process {owner.Id} on {Environment.MachineName}", "`pipelines classification`, since", "UTC" };

        Tool.Run(Classification("--max-trials", "1")).AssertOneClearError(1, named);
        Tool.Run(Classification("--max-trials", "1", "--force")).AssertOneClearError(1, named);
        Tool.Run("resume", "--output", Out, "--max-trials", "1").AssertOneClearError(1, named);

        Assert.False(owner.HasExited, $"the owner stopped: {await output}{await error}");
        var during = Outputs.Trials(Out, Study);
        Assert.True(File.Exists(Path.Combine(Out, "settings.json")));
        foreach (var trial in before.Where(t => t.IsFinished)) Assert.Equal(trial.Status, during.Single(t => t.Id == trial.Id).Status);

        owner.Kill();
        Assert.True(owner.WaitForExit(TimeSpan.FromSeconds(30)));
        var killed = Outputs.Trials(Out, Study);
        var resumed = Tool.Run("resume", "--output", Out, "--max-trials", "1");
        resumed.AssertExitCode(0);
        var after = Outputs.Trials(Out, Study);
        Assert.DoesNotContain(after, t => t.Status == TrialStatus.Running);
        // A trial the killed owner left Running is recovered at once (the lock says its process is gone), not after the heartbeat timeout.
        foreach (var left in killed.Where(t => t.Status == TrialStatus.Running))
            Assert.Equal(IStudyStorage.InterruptedError, after.Single(t => t.Id == left.Id).Error);
        Assert.True(after.Count(t => t.IsFinished) > killed.Count(t => t.IsFinished), resumed.ToString());
    }

    [Fact]
    public async Task TwoRunsStartedTogetherOnOneFolderLeaveOneRunInIt()
    {
        using var first = Tool.Start(Classification("--max-trials", "2"));
        using var second = Tool.Start(Classification("--max-trials", "2"));
        var results = await Task.WhenAll(Finish(first), Finish(second));

        Assert.Equal(new[] { 0, 1 }, results.Select(r => r.ExitCode).Order());
        var refused = results.Single(r => r.ExitCode == 1);
        Assert.Matches("in use by process|holds another run", refused.StdErr);
        Assert.DoesNotContain("   at ", refused.StdErr);
        Assert.Equal(2, Outputs.Trials(Out, Study).Count(t => t.Trainer != "ensemble"));
        Assert.False(File.Exists(Path.Combine(Out, ".pipelines.owner.json")), "the owner file outlived its run");
    }

    static async Task<ToolResult> Finish(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new ToolResult(process.ExitCode, await output, await error, new[] { "classification" });
    }
}
