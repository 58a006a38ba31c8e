using Microsoft.ML;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Portfolio;
using Pipelines.Torch.Data;

namespace Pipelines.AutoML.Tests.Portfolio;

/// <summary>The order of the trainers' first trials follows their cost on the task.</summary>
public class RelativeCostTests
{
    static async Task<string[]> FirstTrials(PredictionKind task)
    {
        var ml = new MLContext(seed: 1);
        var experiment = new AutoMLExperiment(ml).SetDataset(TestData.ForTask(ml, task), 0.25).SetTrainers(TrainerPortfolio.Tabular.ToArray())
            .SetMaxTrials(TrainerPortfolio.Tabular.Count).SetEnsemble(false).SetSeed(1);
        experiment = task switch
        {
            PredictionKind.BinaryClassification => experiment.SetBinaryClassificationMetric(),
            PredictionKind.MulticlassClassification => experiment.SetMulticlassClassificationMetric(),
            _ => experiment.SetRegressionMetric(),
        };
        var result = await experiment.RunAsync();
        return result.Trials.OrderBy(t => t.Id).Select(t => t.Trainer!).ToArray();
    }

    [Fact]
    public async Task OnMulticlassDataTheOneVersusAllTreesRunTheirDefaultsAfterTheMlp()
    {
        // One-versus-all trains a tree model per class; on binary data the trees come before the MLP.
        Assert.Equal(new[] { "linear", "lightgbm", "torch-mlp", "fasttree", "fastforest" }, await FirstTrials(PredictionKind.MulticlassClassification));
        Assert.Equal(new[] { "linear", "lightgbm", "fasttree", "fastforest", "torch-mlp" }, await FirstTrials(PredictionKind.BinaryClassification));
    }
}
