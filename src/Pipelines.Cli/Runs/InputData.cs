using Pipelines.AutoML.Export;

namespace Pipelines.Cli.Runs;

/// <summary>
/// The run's data as ML.NET sees it before featurization: a data file's columns (<see cref="TableInput"/>) or an image
/// folder's pixels (<see cref="ImageInput"/>), with the featurizer that differs between them. Display/DataDescription
/// describes them and Output's consumption code writes Program.cs for each.
/// </summary>
internal abstract record InputData(IDataView Train, IDataView? Validation, IDataView? Test)
{
    /// <summary>The share of --dataset held out for validation when there is no --validation-dataset.</summary>
    public const double ValidationFraction = 0.2;

    /// <summary>About the rows the trainers see, which the default Torch spaces cap their batch size at.</summary>
    public abstract int TrainRows { get; }

    /// <summary>A binary text label's two classes, which PredictedLabel gives; null for any other label.</summary>
    public virtual BinaryClassNames? ClassNames => null;

    /// <summary>The steps that make the trainers' Features and Label from the loaded columns.</summary>
    public abstract IEstimator<ITransformer> BuildFeaturizer(MLContext ml);

    /// <summary>Loads the run's data for its command; warnings (skipped images, category values the training data lacks) go to <paramref name="warn"/>.</summary>
    public static InputData Load(MLContext ml, RunSettings settings, Action<string> warn) =>
        settings.IsImageRun ? ImageInput.LoadFolders(ml, settings, warn) : TableInput.LoadFiles(ml, settings, warn);

    protected static int RowsForTraining(long rows, bool hasValidationData) =>
        (int)Math.Max(1, hasValidationData ? rows : rows * (1 - ValidationFraction));
}
