namespace Pipelines.AutoML.Experiment;

/// <summary>
/// Turns the experiment's data into what every trial reads: the validation split or the cross-validation folds,
/// featurized once with a featurizer fitted on the training rows and cached, plus the fixed sample of training rows
/// that the train side of the generalization gap is measured on.
/// </summary>
internal sealed class DataPreparation(MLContext ml, DatasetPlan plan, IEstimator<ITransformer>? featurizer, int seed)
{
    public ExperimentData Prepare(PredictionKind task, string label, string metric, OptimizationDirection direction)
    {
        var source = plan.Train ?? plan.All ?? throw new InvalidOperationException("Set the data with SetDataset before running.");
        // The trainers read the label after featurization, which may create it (Featurizer.Build makes "Label" from
        // the file's label column): with a featurizer, the featurized folds are checked instead.
        if (featurizer == null) CheckLabel(source.Schema, label);
        var (fitted, folds) = plan.Folds > 0 ? CrossValidationFolds() : OneSplit(label);
        if (featurizer != null)
        {
            CheckLabel(folds[0].Train.Schema, label);
            CheckLabel(folds[0].Validation.Schema, label);
        }

        int trainRows = CountRows(folds[0].Train);
        if (trainRows == 0) throw new InvalidOperationException("The training data has no rows.");
        // The train side of the gap is measured on a fixed sample the size of the validation set (docs/architecture.md).
        var samples = folds.Select(f => (IDataView)ml.Data.TakeRows(ml.Data.ShuffleRows(f.Train, seed: seed), Math.Max(CountRows(f.Validation), 500))).ToList();
        return new ExperimentData(task, label, metric, direction, folds, samples, trainRows, fitted);
    }

    /// <summary>
    /// One featurizer for all folds, fitted on all rows: vocabularies and statistics see the validation folds (a
    /// small, usual leak in exchange for one featurization per experiment).
    /// </summary>
    (ITransformer?, List<(IDataView Train, IDataView Validation)>) CrossValidationFolds()
    {
        var fitted = featurizer?.Fit(plan.All!);
        var folds = ml.Data.CrossValidationSplit(plan.All!, plan.Folds, seed: seed)
            .Select(fold => (Featurize(fitted, fold.TrainSet), Featurize(fitted, fold.TestSet)))
            .ToList();
        return (fitted, folds);
    }

    (ITransformer?, List<(IDataView Train, IDataView Validation)>) OneSplit(string label)
    {
        var (train, validation) = plan.Train != null ? (plan.Train, plan.Validation!) : Split(plan.All!);
        if (featurizer == null) CheckLabel(validation.Schema, label);
        var fitted = featurizer?.Fit(train);
        return (fitted, new() { (Featurize(fitted, train), Featurize(fitted, validation)) });
    }

    (IDataView Train, IDataView Validation) Split(IDataView all)
    {
        var split = ml.Data.TrainTestSplit(all, plan.ValidationFraction, seed: seed);
        return (split.TrainSet, split.TestSet);
    }

    IDataView Featurize(ITransformer? fitted, IDataView data) => ml.Data.Cache(fitted?.Transform(data) ?? data);

    static void CheckLabel(DataViewSchema schema, string label)
    {
        if (schema.GetColumnOrNull(label) is null)
            throw new ArgumentException($"The label column '{label}' is not in the data. The columns are: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"))}.");
    }

    public static int CountRows(IDataView data)
    {
        if (data.GetRowCount() is { } n) return (int)n;
        int count = 0;
        using var cursor = data.GetRowCursor(Array.Empty<DataViewSchema.Column>());
        while (cursor.MoveNext()) count++;
        return count;
    }
}
