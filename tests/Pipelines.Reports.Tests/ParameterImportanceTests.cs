using System.Text.Json.Nodes;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.Reports.Analysis;

namespace Pipelines.Reports.Tests;

/// <summary>Importance: sums to 1, finds the parameter that drives the objective, picks its method by trial count.</summary>
public class ParameterImportanceTests
{
    /// <summary>A completed trial with the given Torch parameters and objective, without a training report.</summary>
    static TrialFacts Trial(int id, int batchSize, double learningRate, double weightDecay, string optimizer, double objective) =>
        TrialFacts.From(new TrialRecord
        {
            Id = id,
            Status = TrialStatus.Completed,
            Parameters = SyntheticStudy.TorchParameters(batchSize, 20, learningRate, weightDecay, optimizer),
            Trainer = "torch-mlp",
            Objective = objective,
            ValidationMetric = objective,
        });

    /// <summary>
    /// Random configurations whose objective depends strongly on batch size (best at 64), weakly on the learning rate,
    /// and not at all on weight decay or optimizer.
    /// </summary>
    static List<TrialFacts> RandomStudy(int count, int seed)
    {
        var random = new Random(seed);
        var optimizers = new[] { "adam", "adamw", "sgd" };
        return Enumerable.Range(1, count).Select(id =>
        {
            int log2 = random.Next(4, 11);
            double lr = Math.Pow(10, -5 + 4 * random.NextDouble());
            double wd = Math.Pow(10, -6 + 5 * random.NextDouble());
            double objective = 0.9 - 0.03 * Math.Abs(log2 - 6) + 0.002 * (Math.Log10(lr) + 3) + 0.001 * (random.NextDouble() - 0.5);
            return Trial(id, 1 << log2, lr, wd, optimizers[random.Next(3)], objective);
        }).ToList();
    }

    [Fact]
    public void ForestRanksTheDrivingParameterFirst()
    {
        var analysis = ParameterImportance.Compute(RandomStudy(40, seed: 3));
        var torch = Assert.Single(analysis.Trainers);
        Assert.Equal(ImportanceMethod.PermutationForest, torch.Method);
        Assert.Equal(40, torch.Trials);
        Assert.Equal(1.0, torch.Parameters.Sum(p => p.Importance), 9);
        Assert.Equal("batch_size", torch.Parameters[0].Parameter);
        Assert.True(torch.Parameters[0].Importance > 0.6, $"batch_size got only {torch.Parameters[0].Importance:P0}");
        Assert.All(torch.Parameters, p => Assert.InRange(p.Importance, 0, 1));
        // "epochs" never changed: it is not listed.
        Assert.DoesNotContain(torch.Parameters, p => p.Parameter == "epochs");
        Assert.Null(analysis.TrainerShare);
    }

    [Fact]
    public void ForestResultIsDeterministic()
    {
        var a = ParameterImportance.Compute(RandomStudy(20, seed: 5));
        var b = ParameterImportance.Compute(RandomStudy(20, seed: 5));
        Assert.Equal(a.Trainers[0].Parameters, b.Trainers[0].Parameters);
    }

    [Fact]
    public void FewTrialsUseTheBinnedDecomposition()
    {
        // Batch size moves the objective by 0.1 per step; the learning rate alternates independently and moves it by 0.001.
        var trials = new[]
        {
            Trial(1, 16, 1e-3, 1e-5, "adam", 0.70), Trial(2, 16, 1e-2, 1e-5, "adam", 0.701),
            Trial(3, 64, 1e-3, 1e-5, "adam", 0.80), Trial(4, 64, 1e-2, 1e-5, "adam", 0.801),
            Trial(5, 256, 1e-3, 1e-5, "adam", 0.90), Trial(6, 256, 1e-2, 1e-5, "adam", 0.901),
        };
        var torch = Assert.Single(ParameterImportance.Compute(trials).Trainers);
        Assert.Equal(ImportanceMethod.BinnedVariance, torch.Method);
        Assert.Equal(new[] { "batch_size", "learning_rate" }, torch.Parameters.Select(p => p.Parameter));
        Assert.Equal(1.0, torch.Parameters.Sum(p => p.Importance), 9);
        Assert.True(torch.Parameters[0].Importance > 0.99);
        Assert.NotNull(torch.Note);
    }

    [Fact]
    public void TrainersAreAnalysedApartAndTheChoiceOfTrainerGetsItsShare()
    {
        var torch = RandomStudy(10, seed: 1);
        var trees = new[] { 0.5, 0.51, 0.56 }.Select((v, i) => TrialFacts.From(SyntheticStudy.FastTree(100 + i, v, 0, leaves: 8 << i))).ToList();
        var lone = TrialFacts.From(SyntheticStudy.FastTree(200, 0.5, 0) with { Trainer = "lightgbm" });
        var analysis = ParameterImportance.Compute(torch.Concat(trees).Append(lone));

        Assert.Equal(new[] { "fasttree", "torch-mlp" }, analysis.Trainers.Select(t => t.Trainer));
        var fasttree = analysis.Trainers[0];
        Assert.Equal(ImportanceMethod.BinnedVariance, fasttree.Method);
        Assert.Equal("number_of_leaves", Assert.Single(fasttree.Parameters).Parameter); // the only parameter that varied
        Assert.Equal(1.0, fasttree.Parameters[0].Importance, 9);
        Assert.Contains(analysis.Skipped, s => s.StartsWith("lightgbm: 1 completed trial,", StringComparison.Ordinal));
        // Torch trials score about 0.8-0.9, trees about 0.5: most of the variance is the trainer.
        Assert.InRange(analysis.TrainerShare!.Value, 0.8, 1.0);
    }

    [Fact]
    public void OnlyCompletedTrialsWithFiniteObjectivesCount()
    {
        var trials = RandomStudy(5, seed: 2);
        trials.Add(TrialFacts.From(trials[0].Trial with { Id = 50, Objective = double.NaN }));
        trials.Add(TrialFacts.From(trials[1].Trial with { Id = 51, Status = TrialStatus.Pruned }));
        var torch = Assert.Single(ParameterImportance.Compute(trials).Trainers);
        Assert.Equal(5, torch.Trials);
    }

    [Fact]
    public void AnObjectiveThatNeverMovesGivesZeroImportanceAndSaysWhy()
    {
        var trials = Enumerable.Range(1, 10).Select(i => Trial(i, 16 << (i % 4), 1e-3 * i, 1e-5, "adam", 0.8)).ToList();
        var torch = Assert.Single(ParameterImportance.Compute(trials).Trainers);
        Assert.All(torch.Parameters, p => Assert.Equal(0, p.Importance));
        Assert.Contains("did not vary", torch.Note);
    }

    [Fact]
    public void NestedAndNonNumericParametersAreFlattened()
    {
        var parameter = Parameter.FromNode(new JsonObject
        {
            ["option"] = "custom",
            ["parameters"] = new JsonObject { ["optimizer"] = new JsonObject { ["name"] = "sgd", ["momentum"] = 0.9 }, ["nesterov"] = true },
        });
        var leaves = ParameterValues.Flatten(TrialFacts.From(new TrialRecord { Id = 1, Parameters = parameter }).TrainerParameters);
        Assert.Equal(new[] { "optimizer.name", "optimizer.momentum", "nesterov" }, leaves.Select(l => l.Name));
        Assert.Equal(0.9, leaves[1].Number);
        Assert.Null(leaves[2].Number);
        Assert.Equal("true", leaves[2].Text);
    }
}
