using Microsoft.ML;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Tests.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Tests.Experiment;

/// <summary>
/// A study that stops taking writes in the middle of a search: the run ends with the model of the trials it has, no
/// trial is recorded as failed for it, and the tuner never learns from it.
/// </summary>
public sealed class StorageFaultTests
{
    static readonly StudyRetryPolicy NoWait = new() { Attempts = 2, Sleep = _ => { } };

    [Fact]
    public async Task AStudyThatStaysLockedAfterThreeTrialsEndsTheRunWithTheirBestModel()
    {
        var ml = new MLContext(seed: 1);
        var faulty = new FaultyStudyStorage();
        int finished = 0;
        faulty.FaultFor = name => name == nameof(IStudyStorage.FinishTrial) && Interlocked.Increment(ref finished) > 3 ? StorageFault.Locked : null;
        var updates = new List<TrialResult>();
        var candidate = new ScriptedCandidate((x, c) => ScriptedCandidate.Regularized(x, c));

        var result = await new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3).SetTrainers(candidate)
            .SetTuner((space, seed) => new RecordingTuner(new RandomTuner(space, seed), updates: updates))
            .SetMaxTrials(10).SetSeed(2).SetStudy(new RetryingStudyStorage(faulty, NoWait), "locked").RunAsync();

        var fault = Assert.IsType<StudyUnavailableException>(result.StorageFault);
        Assert.Equal(StorageFault.Locked, fault.Fault);
        var stored = faulty.Inner.GetTrials("locked");
        Assert.Equal(3, stored.Count(t => t.Status == TrialStatus.Completed));
        Assert.DoesNotContain(stored, t => t.Status == TrialStatus.Failed);
        // The fourth trial ran but could not be recorded: it stays Running for a resume to recover, and taught nothing.
        Assert.Equal(TrialStatus.Running, Assert.Single(stored, t => t.Id == 4).Status);
        Assert.Equal(3, updates.Count);
        Assert.Equal(3, result.Trials.Count);
        Assert.Contains(result.Best.Record.Id, stored.Where(t => t.Status == TrialStatus.Completed).Select(t => t.Id));
        Assert.Null(result.Ensemble);
        Assert.NotNull(result.Best.Model.Transform(TestData.BreastCancer(ml)));
    }

    [Fact]
    public async Task AnEpochThatCannotBeRecordedNeverFailsItsTrial()
    {
        var ml = new MLContext(seed: 1);
        var faulty = new FaultyStudyStorage();
        int epochs = 0;
        faulty.FaultFor = name => name == nameof(IStudyStorage.ReportIntermediate) && Interlocked.Increment(ref epochs) > 4 ? StorageFault.Transient : null;
        var updates = new List<TrialResult>();
        // A trainer wraps what its epoch callback throws, as training loops do; the experiment must still see the storage fault.
        var candidate = new ScriptedCandidate((x, c) =>
        {
            try
            {
                for (int epoch = 1; epoch <= 2; epoch++) c.OnEpoch!(new EpochReport { Epoch = epoch, PlannedEpochs = 2, ValidationMetric = x });
            }
            catch (Exception e)
            {
                throw new InvalidOperationException("training failed", e);
            }
            return ScriptedCandidate.Linear(c);
        }, epochs: true);

        var result = await new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3).SetTrainers(candidate)
            .SetTuner((space, seed) => new RecordingTuner(new RandomTuner(space, seed), updates: updates))
            .SetMaxTrials(10).SetSeed(2).SetStudy(new RetryingStudyStorage(faulty, NoWait), "epochs").RunAsync();

        Assert.IsType<StudyUnavailableException>(result.StorageFault);
        var stored = faulty.Inner.GetTrials("epochs");
        Assert.Equal(2, stored.Count(t => t.Status == TrialStatus.Completed));
        Assert.DoesNotContain(stored, t => t.Status == TrialStatus.Failed);
        Assert.Equal(2, updates.Count);
    }

    [Fact]
    public async Task AStudyLostBeforeAnyTrialFinishedThrowsTheFaultItself()
    {
        var ml = new MLContext(seed: 1);
        var faulty = new FaultyStudyStorage { FaultFor = name => name == nameof(IStudyStorage.CreateTrial) ? StorageFault.Locked : null };

        var e = await Assert.ThrowsAsync<StudyUnavailableException>(() => new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3)
            .SetTrainers(new ScriptedCandidate((_, c) => ScriptedCandidate.Linear(c))).SetMaxTrials(3)
            .SetStudy(new RetryingStudyStorage(faulty, NoWait), "none").RunAsync());

        Assert.Contains("injected Locked fault in CreateTrial", e.Message);
        Assert.Empty(faulty.Inner.GetTrials("none"));
    }
}
