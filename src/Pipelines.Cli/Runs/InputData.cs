using Microsoft.ML;
using Pipelines.AutoML.Inference;
using Pipelines.Torch.Data;

namespace Pipelines.Cli.Runs;

/// <summary>The run's data files, inferred once and loaded as ML.NET sees them (the file's columns; featurization comes later).</summary>
internal sealed record InputData(ColumnInferenceResult Columns, IDataView Train, IDataView? Validation, IDataView? Test)
{
    /// <summary>The share of --dataset held out for validation when there is no --validation-dataset.</summary>
    public const double ValidationFraction = 0.2;

    public static InputData Load(MLContext ml, RunSettings settings)
    {
        // Inferred as the command does it (not with the stored task forced), so the explanation reads the same and a
        // data file that changed under a resumed run is noticed.
        var columns = DataInference.Infer(settings.Dataset, settings.LabelColumn, settings.HasHeader, settings.IgnoreColumns, ForcedTask(settings.Command));
        if (columns.Task != settings.Task)
            throw CliException.Input($"{settings.Dataset} now reads as {columns.Task}, but the run was started as {settings.Task}: the data file changed since.");
        if (settings.ValidationDataset != null) DataInference.CheckSameColumns(columns, settings.ValidationDataset, "--validation-dataset");
        if (settings.TestDataset != null) DataInference.CheckSameColumns(columns, settings.TestDataset, "--test-dataset");
        return new InputData(columns, columns.LoadData(ml),
            settings.ValidationDataset is { } validation ? columns.LoadData(ml, validation) : null,
            settings.TestDataset is { } test ? columns.LoadData(ml, test) : null);
    }

    /// <summary>The task a command forces: regression; classification detects binary or multiclass from the label.</summary>
    public static PredictionKind? ForcedTask(string command) => command == "regression" ? PredictionKind.Regression : null;

    /// <summary>About the rows the trainers see, which the default torch-mlp space caps its batch size at.</summary>
    public static int TrainRows(ColumnInferenceResult columns, bool hasValidationFile) =>
        (int)Math.Max(1, hasValidationFile ? columns.DataRowCount : columns.DataRowCount * (1 - ValidationFraction));
}
