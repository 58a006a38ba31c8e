using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.Torch.Data;

namespace Pipelines.AutoML.Tests.Portfolio;

/// <summary>LightGBM stopped early on validation rows reports the rounds it kept, and a refit trains that many, not its upper bound.</summary>
public sealed class LightGbmRoundsTests
{
    [Theory]
    [InlineData(PredictionKind.BinaryClassification)]
    [InlineData(PredictionKind.MulticlassClassification)]
    [InlineData(PredictionKind.Regression)]
    public void AFitThatStopsEarlyReportsTheRoundsItKept(PredictionKind task)
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.ForTask(ml, task);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 1);
        // A fast rate on a few hundred rows stops improving the validation rows long before 1,000 rounds.
        var parameters = Parameter.FromJson("""{ "number_of_iterations": 1000, "learning_rate": 0.5, "number_of_leaves": 8 }""");
        var candidate = new LightGbmCandidate();

        var stopped = candidate.Fit(new TrialFitContext { MLContext = ml, Task = task, Train = split.TrainSet, Validation = split.TestSet, Seed = 1, Threads = 1 }, parameters);
        var whole = candidate.Fit(new TrialFitContext { MLContext = ml, Task = task, Train = split.TrainSet, Seed = 1, Threads = 1 }, parameters);

        Assert.InRange(stopped.UsedFidelity!.Value, 1, 999);
        Assert.Equal(stopped.UsedFidelity, LightGbmCandidate.Rounds(stopped.Model));
        // Without validation rows nothing stops it early (LightGBM itself stops where no split gains any more).
        Assert.Null(whole.UsedFidelity);
        Assert.True(LightGbmCandidate.Rounds(whole.Model) >= stopped.UsedFidelity);
    }

    [Fact]
    public async Task ARefitTrainsTheRoundsTheTrialKept()
    {
        var ml = new MLContext(seed: 1);
        var space = new SearchSpaceBuilder().Int("number_of_iterations", 1000, 1000).Double("learning_rate", 0.5, 0.5).Build();
        var result = await new AutoMLExperiment(ml).SetDataset(TestData.Concrete(ml), 0.3).SetRegressionMetric()
            .SetTrainers(new LightGbmCandidate()).SetSearchSpace("lightgbm", space).SetEnsemble(false).SetMaxTrials(1).SetRefit(true).SetSeed(1).RunAsync();

        Assert.True(result.Best.Refitted);
        int kept = int.Parse(result.Best.Record.Attributes[TrialAttributes.UsedFidelity]);
        Assert.InRange(kept, 1, 999);
        var refitted = result.Best.Model is TransformerChain<ITransformer> chain ? chain.Last() : result.Best.Model;
        Assert.Equal(kept, LightGbmCandidate.Rounds(refitted));
    }
}
