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

    // Each run probes the folder's lock before its checks, which holds the lock for a moment: a run that meets another's
    // probe must wait for it, not give up naming no owner (or two runs that meet each other's probes both give up).
    [Fact]
    public async Task ThreeRunsStartedTogetherOnOneFolderLeaveOneRunInIt()
    {
        var runs = Enumerable.Range(0, 3).Select(_ => Tool.Start(Classification("--max-trials", "2"))).ToList();
        var results = await Task.WhenAll(runs.Select(Finish));
        runs.ForEach(r => r.Dispose());

        // A failure names what each run said, to tell a lost race from a slow machine.
        Assert.True(results.Select(r => r.ExitCode).Order().SequenceEqual([0, 1, 1]), string.Join("\n---\n", results.Select(r => r.ToString())));
        foreach (var refused in results.Where(r => r.ExitCode == 1))
        {
            Assert.Matches("is in use by process [0-9]+ on |holds another run", refused.StdErr);
            Assert.DoesNotContain("   at ", refused.StdErr);
        }
        Assert.Equal(2, Outputs.Trials(Out, Study).Count(t => t.Trainer != "ensemble"));
        Assert.False(File.Exists(Path.Combine(Out, ".pipelines.owner.json")), "the owner file outlived its run");
    }

    static async Task<ToolResult> Finish(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // One still running after three minutes is killed, and its output goes into the failure message (exit code -1).
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(); return new ToolResult(-1, await output, await error, ["classification"]); }
        return new ToolResult(process.ExitCode, await output, await error, ["classification"]);
    }
}
