using Microsoft.ML;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.Torch.Data;

namespace Pipelines.AutoML.Tests.Experiment;

/// <summary>
/// A cheap candidate on one parameter x in [0,1] whose fit the test scripts: it may fail, wait, or train; with
/// <paramref name="epochs"/> the experiment gives its fit an epoch callback, as a Torch trainer's.
/// </summary>
sealed class ScriptedCandidate(Func<double, TrialFitContext, TrialFit> fit, NestedSpace? space = null, bool epochs = false, string name = "scripted") : TrainerCandidate
{
    public override string Name => name;
    public override bool TrainsInEpochs => epochs;
    public override bool Supports(PredictionKind task) => true;
    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows) => space ?? new SearchSpaceBuilder().Double("x", 0, 1).Build();
    /// <summary>Fits on the point's x; an empty point (a trial recorded by hand) is x = 0.</summary>
    public override TrialFit Fit(TrialFitContext context, Parameter parameters) => fit(parameters.ContainsKey("x") ? parameters["x"].AsDouble() : 0, context);

    /// <summary>A logistic regression in a few iterations: every x gives the same model.</summary>
    public static TrialFit Linear(TrialFitContext c) =>
        new(c.MLContext.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 5).Fit(c.Train));

    /// <summary>A logistic regression whose L2 penalty grows from 1e-3 to 1e3 with x, so the accuracy depends on x.</summary>
    public static TrialFit Regularized(double x, TrialFitContext c) =>
        new(c.MLContext.BinaryClassification.Trainers.SdcaLogisticRegression(l2Regularization: (float)Math.Pow(10, 6 * x - 3),
            maximumNumberOfIterations: 5).Fit(c.Train));

    sealed class LabelRow { public float Label { get; set; } }
    sealed class ScoreRow { public float Score { get; set; } }

    /// <summary>A regression off by <paramref name="by"/> on every row: two of them off in opposite directions average to the label.</summary>
    public static ScriptedCandidate Off(float by, string name) => OffBy(_ => by, name);

    /// <summary>A regression off by <paramref name="error"/> of each row's label.</summary>
    public static ScriptedCandidate OffBy(Func<float, float> error, string name) =>
        new((_, c) => new TrialFit(c.MLContext.Transforms.CustomMapping<LabelRow, ScoreRow>((i, o) => o.Score = i.Label + error(i.Label), contractName: null).Fit(c.Train)), name: name);
}
