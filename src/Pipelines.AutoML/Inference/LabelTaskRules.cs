namespace Pipelines.AutoML.Inference;

/// <summary>Decides the task from the label's sampled values, or checks a task the user forced. Rules on <see cref="ColumnInference"/>.</summary>
internal static class LabelTaskRules
{
    /// <summary>A whole-number label with at most this many values is taken as classes (digits 0-9, ratings 1-5); more is a quantity.</summary>
    public const int MaxClassesForNumericLabel = 20;

    const int ClassesShownInErrors = 10;

    public static LabelDecision Decide(ColumnProfile label, string name, string path, PredictionKind? forced)
    {
        if (label.Cardinality == 0)
            throw new ColumnInferenceException(
                $"Label column '{name}' in {path} has no values: all {label.RowCount} rows read are missing (empty, '?', 'NA', 'NaN' or 'null').", path);
        if (label.Cardinality == 1)
            throw new ColumnInferenceException(
                $"Label column '{name}' in {path} has a single value ('{label.ValueCounts.Keys.First()}') in the {label.RowCount} rows read; " +
                "a model needs at least two different labels. Check the label column name and the file.", path);

        var detected = Detect(label, out string why);
        var task = forced ?? detected;
        if (forced is not null) why = $"{forced} as requested";

        switch (task)
        {
            case PredictionKind.Regression:
                if (!label.IsNumeric) throw NotNumeric(label, name, path);
                return new LabelDecision(task, DataKind.Single, Array.Empty<string>(), null, why);

            case PredictionKind.BinaryClassification:
                if (label.Cardinality != 2)
                    throw new ColumnInferenceException(
                        $"Binary classification needs a label with two values, but column '{name}' in {path} has {label.Cardinality}: " +
                        $"{Show(Classes(label))}. Use multiclass classification.", path);
                return Binary(label, why);

            default:
                return new LabelDecision(task, label.IsNumeric ? DataKind.Single : DataKind.String, Classes(label), null, why);
        }
    }

    /// <summary>mlnet's reading of a label, with the numeric case split by value count.</summary>
    static PredictionKind Detect(ColumnProfile label, out string why)
    {
        if (label.Cardinality == 2)
        {
            why = label.IsBoolean ? "two Boolean values" : "two distinct values";
            return PredictionKind.BinaryClassification;
        }
        if (label.IsNumeric)
        {
            if (label.IsInteger && label.Cardinality <= MaxClassesForNumericLabel)
            {
                why = $"{label.Cardinality} whole-number values";
                return PredictionKind.MulticlassClassification;
            }
            why = label.IsInteger ? $"{label.Cardinality} whole-number values" : "numbers with fractions";
            return PredictionKind.Regression;
        }
        why = $"{label.Cardinality} distinct strings";
        return PredictionKind.MulticlassClassification;
    }

    /// <summary>
    /// Boolean spellings (0/1 included) without missing values load straight as Boolean. Otherwise the label loads
    /// as Single (numbers) or String and the featurizer maps the positive class to true: the Boolean spelling of
    /// true, else the rarer value (the event of interest: fraud, disease, income over 50K), the later one on a tie.
    /// </summary>
    static LabelDecision Binary(ColumnProfile label, string why)
    {
        var classes = Classes(label);
        var kind = label.IsBoolean && label.MissingCount == 0 ? DataKind.Boolean : label.IsNumeric ? DataKind.Single : DataKind.String;
        if (label.IsBoolean)
            return new LabelDecision(PredictionKind.BinaryClassification, kind, classes,
                classes.First(c => CellValues.TryParseBoolean(c, out bool value) && value), why);

        var counts = label.IsNumeric
            ? label.ValueCounts.GroupBy(kv => Number(kv.Key, label.DecimalMarker)).ToDictionary(g => Format(g.Key), g => g.Sum(kv => kv.Value))
            : label.ValueCounts;
        var rarer = classes.OrderBy(c => counts[c]).ThenByDescending(c => classes.IndexOf(c)).First();
        return new LabelDecision(PredictionKind.BinaryClassification, kind, classes, rarer, $"{why}; '{rarer}' (the rarer) is the positive class");
    }

    /// <summary>The distinct values in order: numbers by value (formatted as ML.NET prints them), strings ordinally.</summary>
    static List<string> Classes(ColumnProfile label) => label.IsNumeric
        ? label.DistinctNumbers.Order().Select(Format).ToList()
        : label.ValueCounts.Keys.Order(StringComparer.Ordinal).ToList();

    static double Number(string value, char decimalMarker) =>
        CellValues.TryParseNumber(value, decimalMarker, out var number) ? number : double.NaN;

    static string Format(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture);

    static string Show(IReadOnlyList<string> classes) =>
        string.Join(", ", classes.Take(ClassesShownInErrors).Select(c => $"'{c}'")) + (classes.Count > ClassesShownInErrors ? ", ..." : "");

    static ColumnInferenceException NotNumeric(ColumnProfile label, string name, string path)
    {
        var (value, line) = label.FirstNonNumeric!.Value;
        var others = label.NonNumericCount > 1 ? $" ({label.NonNumericCount} of the {label.PresentCount} values read are not numbers)" : "";
        return new ColumnInferenceException(
            $"Regression needs a numeric label, but column '{name}' in {path} holds '{value}' on line {line}{others}. " +
            "Use binary or multiclass classification for a label with categories.", path, line);
    }
}
