using Pipelines.AutoML.Export;
using Pipelines.AutoML.Inference;
using Pipelines.Torch.Data;

namespace Pipelines.Cli.Runs;

/// <summary>The run's data files, inferred once and loaded as ML.NET sees them (the file's columns; featurization comes later).</summary>
internal sealed record TableInput(ColumnInferenceResult Columns, IDataView Train, IDataView? Validation, IDataView? Test)
    : InputData(Train, Validation, Test)
{
    /// <summary>A resumed run's files, inferred again so that a data file that changed under the run is noticed.</summary>
    public static TableInput LoadFiles(MLContext ml, RunSettings settings, Action<string> warn)
    {
        // Inferred as the command does it (not with the stored task forced), so the explanation reads the same.
        var columns = DataInference.Infer(settings.Dataset, settings.LabelColumn, settings.HasHeader, settings.IgnoreColumns, ForcedTask(settings.Command));
        if (columns.Task != settings.Task)
            throw CliException.Input($"{settings.Dataset} now reads as {columns.Task}, but the run was started as {settings.Task}: the data file changed since.");
        CheckOtherFiles(columns, settings.ValidationDataset, settings.TestDataset, warn);
        return FromColumns(ml, columns, settings);
    }

    /// <summary>Validation and test files must have the training file's columns and no class it lacks; category values it lacks are warned of.</summary>
    public static void CheckOtherFiles(ColumnInferenceResult columns, string? validation, string? test, Action<string> warn)
    {
        foreach (var (file, option) in new[] { (validation, "--validation-dataset"), (test, "--test-dataset") })
        {
            if (file == null) continue;
            DataInference.CheckSameColumns(columns, file, option);
            DataInference.CheckValuesKnown(columns, file, option, warn);
        }
    }

    /// <summary>The run's files as ML.NET views of the inferred columns (read lazily, when the experiment runs).</summary>
    public static TableInput FromColumns(MLContext ml, ColumnInferenceResult columns, RunSettings settings) =>
        new(columns, columns.LoadData(ml),
            settings.ValidationDataset is { } validation ? columns.LoadData(ml, validation) : null,
            settings.TestDataset is { } test ? columns.LoadData(ml, test) : null);

    /// <summary>The task a command forces: regression; classification detects binary or multiclass from the label.</summary>
    public static PredictionKind? ForcedTask(string command) => command == "regression" ? PredictionKind.Regression : null;

    public override int TrainRows => RowsForTraining(Columns.DataRowCount, Validation != null);

    public override IEstimator<ITransformer> BuildFeaturizer(MLContext ml)
    {
        try
        {
            return Featurizer.Build(ml, Columns);
        }
        catch (ArgumentException e)
        {
            // No feature columns left (all ignored, constant or id-like): the user's data or --ignore-cols.
            var message = e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
            throw CliException.Input($"{message} Give the file columns that vary besides the label, or take them out of --ignore-cols.");
        }
    }

    public override BinaryClassNames? ClassNames => BinaryClassNames.From(Columns);
}
