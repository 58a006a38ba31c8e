using Pipelines.AutoML.Data;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// The data as <see cref="AutoMLExperiment.SetDataset(IDataView, IDataView)"/> and its overloads received it: separate
/// training and validation sets, one set to split once, or one set for k-fold cross-validation.
/// </summary>
internal sealed record DatasetPlan
{
    public IDataView? Train { get; init; }
    public IDataView? Validation { get; init; }
    /// <summary>The one data set to split (<see cref="ValidationFraction"/>) or to cut into <see cref="Folds"/>.</summary>
    public IDataView? All { get; init; }
    public double ValidationFraction { get; init; } = 0.2;
    /// <summary>0: no cross-validation.</summary>
    public int Folds { get; init; }

    /// <summary>Every row the experiment was given, for a refit: the one data set, or training then validation rows.</summary>
    public IDataView AllRows => All ?? new AppendedDataView(Train!, Validation!);
}
