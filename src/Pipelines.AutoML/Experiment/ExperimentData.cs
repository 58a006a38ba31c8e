namespace Pipelines.AutoML.Experiment;

/// <summary>The data every trial of an experiment uses, prepared once (featurized and cached) by <see cref="DataPreparation"/>.</summary>
internal sealed record ExperimentData(
    PredictionKind Task, string LabelColumnName, string Metric, OptimizationDirection Direction,
    IReadOnlyList<(IDataView Train, IDataView Validation)> Folds, IReadOnlyList<IDataView> TrainSamples, int TrainRows,
    ITransformer? Featurizer);
