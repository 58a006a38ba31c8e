using System.Collections.Immutable;

namespace Pipelines.Torch.Data;

/// <summary>
/// What a trainer requires of its input schema, checked up front: the feature column is a known-size float vector
/// (or a float scalar), the label has the type the task needs. Errors list the columns the schema has.
/// </summary>
internal sealed record ColumnContract(PredictionKind Kind, string FeatureColumnName, string LabelColumnName, int Dimension, int ClassCount)
{
    /// <summary>The label's key values (multiclass): what PredictedLabel maps back to.</summary>
    public ClassLabels? Classes { get; init; }

    public static ColumnContract FromSchema(DataViewSchema schema, PredictionKind kind, string featureColumnName, string labelColumnName)
    {
        var feature = Find(schema, featureColumnName, "feature");
        int dim = feature.Type switch
        {
            VectorDataViewType { ItemType: NumberDataViewType t, IsKnownSize: true, Size: var n } when t == NumberDataViewType.Single => n,
            VectorDataViewType { ItemType: NumberDataViewType t } when t == NumberDataViewType.Single =>
                throw new ArgumentException(
                    $"Feature column '{featureColumnName}' is a float vector of unknown size; the network needs a fixed " +
                    "number of inputs. Build the features with a transform that gives a fixed size (for example Concatenate of fixed-size columns)."),
            _ => throw new ArgumentException(
                $"Feature column '{featureColumnName}' has type {feature.Type}; expected a known-size vector of Single " +
                "(Vector<Single, N>). Convert it with mlContext.Transforms.Conversion.ConvertType and Concatenate."),
        };
        if (dim == 0) throw new ArgumentException($"Feature column '{featureColumnName}' is an empty vector.");

        var label = Find(schema, labelColumnName, "label");
        int classes = 0;
        ClassLabels? classLabels = null;
        switch (kind)
        {
            case PredictionKind.BinaryClassification:
                if (label.Type is not BooleanDataViewType)
                    throw new ArgumentException(
                        $"Label column '{labelColumnName}' has type {label.Type}; binary classification expects Boolean " +
                        "(load it as Boolean, or convert it with mlContext.Transforms.Conversion.ConvertType).");
                classes = 2;
                break;
            case PredictionKind.MulticlassClassification:
                if (label.Type is not KeyDataViewType key || key.RawType != typeof(uint))
                    throw new ArgumentException(
                        $"Label column '{labelColumnName}' has type {label.Type}; multiclass classification expects a key type " +
                        "(UInt32 key). Add mlContext.Transforms.Conversion.MapValueToKey(\"" + labelColumnName + "\") before the trainer.");
                if (key.Count < 2 || key.Count > int.MaxValue)
                    throw new ArgumentException($"Label column '{labelColumnName}' has {key.Count} classes; multiclass classification needs at least 2.");
                classes = (int)key.Count;
                classLabels = ClassLabels.FromKeyColumn(label, classes);
                break;
            case PredictionKind.Regression:
                if (label.Type != NumberDataViewType.Single)
                    throw new ArgumentException($"Label column '{labelColumnName}' has type {label.Type}; regression expects Single " +
                        "(convert it with mlContext.Transforms.Conversion.ConvertType).");
                break;
        }
        return new ColumnContract(kind, featureColumnName, labelColumnName, dim, classes) { Classes = classLabels };
    }

    /// <summary>Checks that another data set (validation) has the same feature size and label type.</summary>
    public void CheckCompatible(DataViewSchema schema, string role)
    {
        var other = FromSchema(schema, Kind, FeatureColumnName, LabelColumnName);
        if (other.Dimension != Dimension)
            throw new ArgumentException($"{role} data: feature column '{FeatureColumnName}' has {other.Dimension} slots; the training data has {Dimension}.");
        if (other.ClassCount != ClassCount)
            throw new ArgumentException($"{role} data: label column '{LabelColumnName}' has {other.ClassCount} classes; the training data has {ClassCount}.");
    }

    static DataViewSchema.Column Find(DataViewSchema schema, string name, string role)
    {
        var column = schema.GetColumnOrNull(name);
        if (column == null || column.Value.IsHidden)
        {
            var names = string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})"));
            throw new ArgumentException($"The {role} column '{name}' is not in the data. The schema has: {names}.");
        }
        return column.Value;
    }
}

/// <summary>The values behind a multiclass label's key, in key order: what PredictedLabel maps back to.</summary>
internal sealed record ClassLabels(DataViewType ValueType, ImmutableArray<object> Values)
{
    public static ClassLabels FromKeyColumn(DataViewSchema.Column label, int count)
    {
        var annotation = label.Annotations.Schema.GetColumnOrNull("KeyValues");
        if (annotation?.Type is VectorDataViewType { ItemType: var itemType })
        {
            if (itemType is TextDataViewType) return Read<ReadOnlyMemory<char>>(label, itemType, count, v => v.ToString());
            if (itemType == NumberDataViewType.Single) return Read<float>(label, itemType, count, v => v);
            if (itemType == NumberDataViewType.Double) return Read<double>(label, itemType, count, v => v);
            if (itemType == NumberDataViewType.Int32) return Read<int>(label, itemType, count, v => v);
            if (itemType == NumberDataViewType.Int64) return Read<long>(label, itemType, count, v => v);
            if (itemType is BooleanDataViewType) return Read<bool>(label, itemType, count, v => v);
        }
        // Keys without (supported) values: the 0-based class index stands for the class.
        return new ClassLabels(NumberDataViewType.Single, Enumerable.Range(0, count).Select(i => (object)(float)i).ToImmutableArray());
    }

    static ClassLabels Read<T>(DataViewSchema.Column label, DataViewType itemType, int count, Func<T, object> box)
    {
        VBuffer<T> values = default;
        label.GetKeyValues(ref values);
        var dense = values.DenseValues().Take(count).Select(box).ToImmutableArray();
        if (dense.Length != count)
            throw new ArgumentException($"Label column '{label.Name}' has {count} keys but {dense.Length} key values.");
        return new ClassLabels(itemType, dense);
    }
}
