using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Tests.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.AutoML.Tests.Experiment;

/// <summary>
/// The loop's view of a shared study: each read asks only for the trials from the oldest unfinished one, and still
/// sees everything the storage holds (trials other workers created and finished in between).
/// </summary>
public sealed class StudyTrialsTests
{
    const string Study = "shared";
    static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static int Start(IStudyStorage storage, int i) => storage.CreateTrial(Study, Parameter.FromJson($$"""{"x":{{i}}}"""), "t", T0);

    static void Finish(IStudyStorage storage, int id, double value) =>
        storage.FinishTrial(id, TrialStatus.Completed, value, value, value, 0, null, T0.AddSeconds(1), 1);

    [Fact]
    public void EachReadStartsAtTheOldestUnfinishedTrialAndSeesTheWholeStudy()
    {
        var storage = new FaultyStudyStorage();
        storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", "{}");
        var view = new StudyTrials(storage, Study);
        Assert.Empty(view.Read());

        var ids = Enumerable.Range(0, 4).Select(i => Start(storage, i)).ToList();
        Finish(storage, ids[0], 0.1);
        Finish(storage, ids[2], 0.3);
        Assert.Equal(ids, view.Read().Select(t => t.Id));
        // ids[1] is still running: the next read starts there, not at 0, and not after the last trial.
        Finish(storage, ids[1], 0.2);
        Finish(storage, ids[3], 0.4);
        ids.Add(Start(storage, 4));
        var all = view.Read();
        Assert.Equal(ids, all.Select(t => t.Id));
        Assert.All(all.Take(4), t => Assert.Equal(TrialStatus.Completed, t.Status));
        // Only ids[4] is unfinished now.
        Finish(storage, ids[4], 0.5);
        Assert.Equal(new[] { 0.1, 0.2, 0.3, 0.4, 0.5 }, view.Read().Select(t => t.Objective!.Value));
        Assert.Equal(new[] { 0, 0, ids[1], ids[4] }, storage.ReadsFrom);
        // Everything finished: the next read asks only for trials created since.
        view.Read();
        Assert.Equal(ids[4] + 1, storage.ReadsFrom[^1]);
        TrialAssert.Same(storage.GetTrials(Study), view.Read());
    }
}
