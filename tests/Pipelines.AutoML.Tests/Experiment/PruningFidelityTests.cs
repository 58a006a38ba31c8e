using Microsoft.ML;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;
using Pipelines.Torch.Training;
using Xunit;

namespace Pipelines.AutoML.Tests.Experiment;

/// <summary>Pruning on examples seen: every batch size reports at the same counts, four an epoch, and a pruner can stop a trial inside its first epoch.</summary>
public class PruningFidelityTests
{
    static readonly NestedSpace Space = new SearchSpaceBuilder()
        .Choice("batch_size", 16, 128)
        .Int("epochs", 2, 2)
        .Choice("learning_rate", 0.003)
        .Build();

    [Fact]
    public async Task OnExamplesEveryBatchSizeReportsFourTimesAnEpochAtTheSameCountsOfExamples()
    {
        var ml = new MLContext(seed: 1);
        var result = await new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3)
            .SetTrainers(new TorchMlpCandidate()).SetSearchSpace("torch-mlp", Space)
            .SetTuner((s, seed) => new GridTuner(s)).SetPruner(new NopPruner(), PruningFidelity.Examples)
            .SetEnsemble(false).SetMaxTrials(2).SetSeed(1).RunAsync();

        var trials = result.Trials.Where(t => t.Status == TrialStatus.Completed).ToList();
        Assert.Equal(2, trials.Count);
        Assert.Equal(new[] { 16, 128 }, trials.Select(t => t.Parameters[OneOfSpace.ParametersKey]["batch_size"].AsType<int>()).Order());
        int rows = result.Best.TrainingReport!.TrainRows; // the 70% of breast-cancer's 569 rows the trial trained on
        Assert.All(trials, t =>
        {
            var steps = t.IntermediateValues.Select(v => v.Step).ToList();
            Assert.Equal(new[] { rows / 4, rows / 2, 3 * rows / 4, rows, rows + rows / 4, rows + rows / 2, rows + 3 * rows / 4, 2 * rows }, steps);
            Assert.All(t.IntermediateValues, v => Assert.InRange(v.Value, 0, 1));
        });
    }

    [Fact]
    public async Task OnExamplesAPrunerStopsATrialInsideItsFirstEpochOnEpochsOnlyAfterIt()
    {
        var ml = new MLContext(seed: 1);
        async Task<TrialRecord> PrunedAtFirstReport(PruningFidelity fidelity)
        {
            var result = await new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3)
                .SetTrainers(new TorchMlpCandidate(), new LinearCandidate()).SetSearchSpace("torch-mlp", Space)
                .SetTuner((s, seed) => new GridTuner(s)).SetPruner(new FirstReportPruner(), fidelity)
                .SetEnsemble(false).SetMaxTrials(3).SetSeed(1).RunAsync();
            return result.Trials.First(t => t.Trainer == "torch-mlp");
        }

        var onExamples = await PrunedAtFirstReport(PruningFidelity.Examples);
        Assert.Equal(TrialStatus.Pruned, onExamples.Status);
        var value = Assert.Single(onExamples.IntermediateValues);
        var report = TrainingReport.FromJson(onExamples.Attributes[TrialAttributes.TrainingReport]);
        Assert.Equal(report.TrainRows / 4, value.Step);
        // Stopped a quarter into its first epoch: the partial epoch it reports took far fewer steps than a whole one.
        var partial = Assert.Single(report.Epochs);
        int batch = partial.BatchSize, wholeEpoch = (report.TrainRows + batch - 1) / batch;
        Assert.True(partial.Steps < wholeEpoch / 2, $"{partial.Steps} of {wholeEpoch} steps");

        var onEpochs = await PrunedAtFirstReport(PruningFidelity.Epochs);
        Assert.Equal(TrialStatus.Pruned, onEpochs.Status);
        Assert.Equal(1, Assert.Single(onEpochs.IntermediateValues).Step);
    }

    /// <summary>Stops every trial at its first value.</summary>
    sealed class FirstReportPruner : IPruner
    {
        public bool ShouldPrune(TrialRecord trial, IReadOnlyList<TrialRecord> trials, OptimizationDirection direction) => true;
    }
}
