namespace Pipelines.Torch.Data;

/// <summary>
/// The Features and Label columns of an <see cref="IDataView"/>, read once into contiguous arrays (row-major
/// features). Labels are 0/1 for binary classification, the 0-based class index for multiclass, the value for
/// regression. Every value is checked on the way in, so errors name the column and the row.
/// </summary>
internal sealed class TabularData
{
    public required float[] Features { get; init; }
    public required float[] Labels { get; init; }
    public required int Rows { get; init; }
    public required int Dimension { get; init; }

    /// <summary>Reads and validates <paramref name="data"/>; <paramref name="role"/> names the data set in errors.</summary>
    public static TabularData Read(IDataView data, ColumnContract contract, string role)
    {
        var schema = data.Schema;
        var featureColumn = schema[contract.FeatureColumnName];
        var labelColumn = schema[contract.LabelColumnName];
        int dim = contract.Dimension;

        var features = new List<float>(capacity: 1024 * dim);
        var labels = new List<float>(capacity: 1024);
        using var cursor = data.GetRowCursor(new[] { featureColumn, labelColumn });
        var readFeatures = MakeFeatureReader(cursor, featureColumn);
        var readLabel = MakeLabelReader(cursor, labelColumn, contract);
        var row = new float[dim];
        long index = 0;
        while (cursor.MoveNext())
        {
            readFeatures(row);
            for (int j = 0; j < dim; j++)
            {
                if (!float.IsFinite(row[j]))
                    throw new InvalidOperationException(
                        $"{role} data: column '{contract.FeatureColumnName}' has {row[j]} at row {index}, slot {j}. " +
                        "Features must be finite numbers; replace missing values first (for example with " +
                        "mlContext.Transforms.ReplaceMissingValues).");
            }
            features.AddRange(row);
            labels.Add(readLabel(index));
            index++;
        }
        if (index == 0)
            throw new InvalidOperationException($"{role} data has no rows: there is nothing to train or evaluate on.");
        return new TabularData { Features = features.ToArray(), Labels = labels.ToArray(), Rows = (int)index, Dimension = dim };
    }

    static Action<float[]> MakeFeatureReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        return row =>
        {
            getter(ref buffer);
            buffer.CopyTo(row); // densifies sparse vectors
        };
    }

    static Func<long, float> MakeLabelReader(DataViewRowCursor cursor, DataViewSchema.Column column, ColumnContract contract)
    {
        string name = contract.LabelColumnName;
        switch (contract.Kind)
        {
            case PredictionKind.BinaryClassification:
            {
                var getter = cursor.GetGetter<bool>(column);
                return _ => { bool v = false; getter(ref v); return v ? 1f : 0f; };
            }
            case PredictionKind.MulticlassClassification:
            {
                var getter = cursor.GetGetter<uint>(column);
                int classes = contract.ClassCount;
                return row =>
                {
                    uint key = 0;
                    getter(ref key);
                    if (key == 0 || key > classes)
                        throw new InvalidOperationException(
                            $"Label column '{name}' has a missing or unknown class at row {row} (key {key}, expected 1..{classes}). " +
                            "Rows whose label was not seen when the key mapping was built cannot be trained or evaluated on.");
                    return key - 1;
                };
            }
            default:
            {
                var getter = cursor.GetGetter<float>(column);
                return row =>
                {
                    float v = 0;
                    getter(ref v);
                    if (!double.IsFinite(v))
                        throw new InvalidOperationException($"Label column '{name}' has {v} at row {row}; a regression label must be a finite number.");
                    return (float)v;
                };
            }
        }
    }
}
