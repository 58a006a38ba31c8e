using Microsoft.ML.Transforms;

namespace Pipelines.AutoML.Inference;

/// <summary>
/// Builds the ML.NET transforms that turn the columns of a <see cref="ColumnInferenceResult"/> into a Single vector
/// of features and a label of the type the task's trainers expect.
/// </summary>
/// <remarks>
/// Numeric: missing values (NaN) replaced by the column mean, optionally with a 0/1 indicator. Boolean: 0/1.
/// Categorical: one-hot, or hashed one-hot above <see cref="FeaturizerOptions.MaxOneHotCategories"/>; missing
/// spellings such as "?" or "NA" are categories of their own, because whether a value is missing often carries
/// signal (adult's unknown occupation), and a category never seen in training still encodes as all zeros.
/// Text: ML.NET's FeaturizeText (normalized word and character n-grams). All of them concatenated, in file order,
/// then rescaled if asked. Label: Boolean for binary (mapped from the positive class when not loaded as Boolean),
/// a key for multiclass (map PredictedLabel back with MapKeyToValue), Single for regression.
/// </remarks>
public static class Featurizer
{
    public static IEstimator<ITransformer> Build(MLContext ml, ColumnInferenceResult columns, FeaturizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(columns);
        options ??= new FeaturizerOptions();
        var features = FeatureColumns(columns, options);

        var steps = new List<IEstimator<ITransformer>>();
        var used = new HashSet<string>(columns.Columns.Select(c => c.Name)) { options.FeatureColumnName, options.LabelColumnName };
        // The model takes the file's names, so a feature column named like the label output ("Label") is copied aside
        // before the label step writes that name.
        var source = features.ToDictionary(c => c, c => c.Name);
        foreach (var column in features.Where(c => c.Name == options.LabelColumnName))
        {
            source[column] = ColumnNames.Unique($"{column.Name}_feature", used);
            steps.Add(ml.Transforms.CopyColumns(source[column], column.Name));
        }
        // The label next: its input may be named like an output of the feature steps.
        if (LabelStep(ml, columns, options.LabelColumnName) is { } labelStep) steps.Add(labelStep);

        var byRole = new FeatureSteps(ml, options, used);
        foreach (var column in features) byRole.Add(column, source[column], steps);
        byRole.AppendTo(steps);
        switch (options.Normalize)
        {
            case FeatureNormalization.MinMax: steps.Add(ml.Transforms.NormalizeMinMax(options.FeatureColumnName)); break;
            case FeatureNormalization.MeanVariance: steps.Add(ml.Transforms.NormalizeMeanVariance(options.FeatureColumnName)); break;
        }

        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        foreach (var step in steps) chain = chain.Append(step);
        return chain;
    }

    static List<InferredColumn> FeatureColumns(ColumnInferenceResult columns, FeaturizerOptions options)
    {
        var features = columns.FeatureColumns.ToList();
        if (features.Count == 0)
            throw new ArgumentException(
                $"No feature columns in {columns.FilePath}: every column besides the label '{columns.Label.Name}' is ignored " +
                $"({string.Join(", ", columns.Columns.Where(c => c.Role == ColumnRole.Ignore).Select(c => $"{c.Name}: {c.Explanation}"))}).",
                nameof(columns));
        if (options.FeatureColumnName == options.LabelColumnName)
            throw new ArgumentException($"FeatureColumnName and LabelColumnName are both '{options.LabelColumnName}'.", nameof(options));
        return features;
    }

    /// <summary>
    /// The feature columns grouped by what they need (one ML.NET step per group, so a wide file makes a short chain),
    /// then concatenated into the feature vector in file order.
    /// </summary>
    sealed class FeatureSteps(MLContext ml, FeaturizerOptions options, HashSet<string> used)
    {
        readonly List<string> _slots = new();
        readonly List<InputOutputColumnPair> _numeric = new(), _indicators = new(), _toSingle = new(), _oneHot = new(), _hashed = new();

        public void Add(InferredColumn column, string name, List<IEstimator<ITransformer>> steps)
        {
            _slots.Add(name);
            switch (column.Role)
            {
                case ColumnRole.Numeric:
                    _numeric.Add(new InputOutputColumnPair(name));
                    if (!options.AddMissingIndicators || column.MissingCount == 0) break;
                    var indicator = ColumnNames.Unique($"{name}_missing", used);
                    _indicators.Add(new InputOutputColumnPair(indicator, name));
                    _toSingle.Add(new InputOutputColumnPair(indicator));
                    _slots.Add(indicator);
                    break;
                case ColumnRole.Boolean:
                    _toSingle.Add(new InputOutputColumnPair(name));
                    break;
                case ColumnRole.Categorical:
                    (column.Cardinality <= options.MaxOneHotCategories ? _oneHot : _hashed).Add(new InputOutputColumnPair(name));
                    break;
                case ColumnRole.Text:
                    steps.Add(ml.Transforms.Text.FeaturizeText(name, name));
                    break;
            }
        }

        public void AppendTo(List<IEstimator<ITransformer>> steps)
        {
            // Indicators read the NaNs, so they come before the replacement.
            if (_indicators.Count > 0) steps.Add(ml.Transforms.IndicateMissingValues(_indicators.ToArray()));
            if (_numeric.Count > 0) steps.Add(ml.Transforms.ReplaceMissingValues(_numeric.ToArray(), MissingValueReplacingEstimator.ReplacementMode.Mean));
            if (_toSingle.Count > 0) steps.Add(ml.Transforms.Conversion.ConvertType(_toSingle.ToArray(), DataKind.Single));
            if (_oneHot.Count > 0) steps.Add(ml.Transforms.Categorical.OneHotEncoding(_oneHot.ToArray()));
            if (_hashed.Count > 0) steps.Add(ml.Transforms.Categorical.OneHotHashEncoding(_hashed.ToArray(), numberOfBits: options.HashBits));
            steps.Add(ml.Transforms.Concatenate(options.FeatureColumnName, _slots.ToArray()));
        }
    }

    /// <summary>The step that makes <paramref name="output"/> from the loaded label, or null when it already is one.</summary>
    static IEstimator<ITransformer>? LabelStep(MLContext ml, ColumnInferenceResult columns, string output)
    {
        var label = columns.Label;
        switch (columns.Task)
        {
            case PredictionKind.MulticlassClassification:
                return ml.Transforms.Conversion.MapValueToKey(output, label.Name);

            case PredictionKind.BinaryClassification when label.DataKind == DataKind.Boolean:
            case PredictionKind.Regression:
                return label.Name == output ? null : ml.Transforms.CopyColumns(output, label.Name);

            case PredictionKind.BinaryClassification:
                var positive = columns.PositiveClass
                    ?? throw new ArgumentException($"Binary label '{label.Name}' is loaded as {label.DataKind} but no PositiveClass is set.", nameof(columns));
                if (columns.LabelClasses.Count != 2 || !columns.LabelClasses.Contains(positive))
                    throw new ArgumentException(
                        $"PositiveClass '{positive}' must be one of the two LabelClasses ({string.Join(", ", columns.LabelClasses)}).", nameof(columns));
                // Two numbers (LabelClasses prints them invariantly) or two strings: the positive class is true.
                if (label.DataKind == DataKind.Single)
                    return ml.Transforms.Conversion.MapValue(output,
                        columns.LabelClasses.Select(c => new KeyValuePair<float, bool>(float.Parse(c, CultureInfo.InvariantCulture), c == positive)),
                        label.Name);
                return ml.Transforms.Conversion.MapValue(output,
                    columns.LabelClasses.Select(c => new KeyValuePair<string, bool>(c, c == positive)), label.Name);

            default:
                throw new ArgumentOutOfRangeException(nameof(columns), columns.Task, "Unknown task.");
        }
    }
}
