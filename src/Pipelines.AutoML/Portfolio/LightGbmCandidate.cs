using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Pipelines.AutoML.Portfolio;

/// <summary>ML.NET's LightGBM trainers (binary, multiclass and regression).</summary>
public sealed class LightGbmCandidate : MLNetCandidate<LightGbmCandidate.SearchOptions>
{
    /// <summary>
    /// What the search tunes. Each range starts where ML.NET's LightGbm() does on tables of up to 100,000 rows (it
    /// picks learning rate, leaves and minimum leaf size from the data when they are not set, and a parameter this
    /// point leaves null is left to it).
    /// </summary>
    public sealed class SearchOptions
    {
        [JsonPropertyName("number_of_leaves"), Range(4, 1024, 20, true)] public int? NumberOfLeaves { get; set; }
        [JsonPropertyName("number_of_iterations"), Range(4, 1000, 100, true)] public int? NumberOfIterations { get; set; }
        [JsonPropertyName("minimum_example_count_per_leaf"), Range(2, 128, 20, true)] public int? MinimumExampleCountPerLeaf { get; set; }
        [JsonPropertyName("learning_rate"), Range(1e-3, 1.0, 0.2, true)] public double? LearningRate { get; set; }
        [JsonPropertyName("l2_regularization"), Range(1e-6, 10.0, 1e-2, true)] public double? L2Regularization { get; set; }
    }

    /// <summary>Rounds without improvement on the validation rows after which boosting stops (half of ML.NET's default 100 rounds).</summary>
    public const int EarlyStoppingRounds = 50;

    public override string Name => "lightgbm";
    public override double RelativeCost(PredictionKind task) => 2;
    public override string? FidelityParameter => "number_of_iterations";
    public override IReadOnlyList<string> ModelPackages => new[] { "Microsoft.ML.LightGbm" };

    public override TrialFit Fit(TrialFitContext c, Parameter p)
    {
        var o = Read(p);
        var ml = c.MLContext;
        // With validation rows the boosting stops once they have not improved for EarlyStoppingRounds rounds, so the
        // iteration count is an upper bound and a slow learning rate costs only the rounds it needs.
        var (train, validation) = (c.Train, c.Validation);
        ITransformer model = c.Task switch
        {
            PredictionKind.BinaryClassification => ml.BinaryClassification.Trainers.LightGbm(With(new LightGbmBinaryTrainer.Options(), o, c)).Fit(train, validation),
            PredictionKind.MulticlassClassification => ml.MulticlassClassification.Trainers.LightGbm(With(new LightGbmMulticlassTrainer.Options(), o, c)).Fit(train, validation),
            _ => ml.Regression.Trainers.LightGbm(With(new LightGbmRegressionTrainer.Options(), o, c)).Fit(train, validation),
        };
        return new TrialFit(model) { UsedFidelity = validation != null ? Rounds(model) : null };
    }

    /// <summary>The boosting rounds a fitted model kept: its trees (a multiclass model's per class), or null where ML.NET does not show them.</summary>
    internal static int? Rounds(ITransformer model) => Trees((model as ISingleFeaturePredictionTransformer<object>)?.Model);

    static int? Trees(object? parameters) => parameters switch
    {
        TreeEnsembleModelParametersBasedOnRegressionTree trees => trees.TrainedTreeEnsemble.Trees.Count,
        CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator> calibrated => Trees(calibrated.SubModel),
        // One-versus-all keeps each class's trees in a sub-model it does not make public.
        OneVersusAllModelParameters ova => typeof(OneVersusAllModelParameters).GetProperty("SubModelParameters", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            ?.GetValue(ova) is System.Collections.IEnumerable subModels ? Trees(subModels.Cast<object>().FirstOrDefault()) : null,
        _ => null,
    };

    /// <summary>The sampled values on ML.NET's options (a null keeps ML.NET's choice), with the trial's columns, seed and threads.</summary>
    static T With<T>(T options, SearchOptions o, TrialFitContext c) where T : class
    {
        dynamic d = options;
        d.LabelColumnName = c.LabelColumnName;
        d.FeatureColumnName = c.FeatureColumnName;
        d.NumberOfLeaves = o.NumberOfLeaves;
        d.MinimumExampleCountPerLeaf = o.MinimumExampleCountPerLeaf;
        d.LearningRate = o.LearningRate;
        if (o.NumberOfIterations is { } iterations) d.NumberOfIterations = iterations;
        if (o.L2Regularization is { } l2) d.Booster = new GradientBooster.Options { L2Regularization = l2 };
        if (c.Validation != null) d.EarlyStoppingRound = EarlyStoppingRounds;
        d.Seed = c.Seed;
        d.NumberOfThreads = c.Threads;
        return options;
    }
}
