using Microsoft.ML;
using Pipelines.AutoML.Export;
using Pipelines.AutoML.Inference;
using Pipelines.Cli.Display;
using Pipelines.Cli.Output;
using Pipelines.Torch.Data;

namespace Pipelines.Cli.Runs;

/// <summary>The run's data files, inferred once and loaded as ML.NET sees them (the file's columns; featurization comes later).</summary>
internal sealed record TableInput(ColumnInferenceResult Columns, IDataView Train, IDataView? Validation, IDataView? Test)
    : InputData(Train, Validation, Test)
{
    public static TableInput LoadFiles(MLContext ml, RunSettings settings)
    {
        // Inferred as the command does it (not with the stored task forced), so the explanation reads the same and a
        // data file that changed under a resumed run is noticed.
        var columns = DataInference.Infer(settings.Dataset, settings.LabelColumn, settings.HasHeader, settings.IgnoreColumns, ForcedTask(settings.Command));
        if (columns.Task != settings.Task)
            throw CliException.Input($"{settings.Dataset} now reads as {columns.Task}, but the run was started as {settings.Task}: the data file changed since.");
        if (settings.ValidationDataset != null) DataInference.CheckSameColumns(columns, settings.ValidationDataset, "--validation-dataset");
        if (settings.TestDataset != null) DataInference.CheckSameColumns(columns, settings.TestDataset, "--test-dataset");
        return new TableInput(columns, columns.LoadData(ml),
            settings.ValidationDataset is { } validation ? columns.LoadData(ml, validation) : null,
            settings.TestDataset is { } test ? columns.LoadData(ml, test) : null);
    }

    /// <summary>The task a command forces: regression; classification detects binary or multiclass from the label.</summary>
    public static PredictionKind? ForcedTask(string command) => command == "regression" ? PredictionKind.Regression : null;

    public static int TrainRowsOf(ColumnInferenceResult columns, bool hasValidationFile) => RowsForTraining(columns.DataRowCount, hasValidationFile);

    public override int TrainRows => TrainRowsOf(Columns, Validation != null);

    public override IEstimator<ITransformer> BuildFeaturizer(MLContext ml)
    {
        try
        {
            return Featurizer.Build(ml, Columns);
        }
        catch (ArgumentException e)
        {
            // No feature columns left (all ignored, constant or id-like): the user's data or --ignore-cols.
            throw CliException.Input(e.Message);
        }
    }

    public override void Describe(Reporter reporter)
    {
        var roles = Columns.Columns.Where(c => c.Role != ColumnRole.Label).GroupBy(c => c.Role)
            .Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        reporter.Info($"Data: {Columns.DataRowCount} rows of {Path.GetFileName(Columns.FilePath)}; label '{Columns.Label.OriginalName}': " +
            $"{Columns.Task} ({Columns.TaskExplanation}); columns: {string.Join(", ", roles)}.");
        foreach (var column in Columns.Columns)
            reporter.Detail($"  column {column.Index} '{column.OriginalName}'{(column.Name != column.OriginalName ? $" as '{column.Name}'" : "")}: {column.Role}, {column.DataKind}; {column.Explanation}");
    }

    public override BinaryClassNames? ClassNames => BinaryClassNames.From(Columns);

    public override void WriteConsumptionCode(string path, RunSettings settings, ITransformer savedModel, string bestTrainer) =>
        ConsumptionCode.Write(path, settings, Columns, Train, savedModel, bestTrainer);
}
