namespace Pipelines.Torch.Scoring;

/// <summary>
/// A network's raw outputs for a table of rows turned into ML.NET's prediction columns, as the scoring chain makes
/// them (Score, Probability and PredictedLabel by the same rules), next to the rows' label: what an evaluator reads.
/// </summary>
internal static class BatchScoring
{
    public static IDataView ToDataView(ColumnContract contract, float[] labels, float[] outputs)
    {
        var ml = new MLContext();
        switch (contract.Kind)
        {
            case PredictionKind.BinaryClassification:
                return Load(ml, contract, labels.Select((y, r) => new BinaryRow
                {
                    Label = y > 0.5f, Score = outputs[r], Probability = 1 / (1 + MathF.Exp(-outputs[r])), PredictedLabel = outputs[r] > 0,
                }), null);
            case PredictionKind.MulticlassClassification:
                int k = contract.ClassCount;
                return Load(ml, contract, labels.Select((y, r) => Multiclass(y, outputs.AsSpan(r * k, k))), k);
            default:
                return Load(ml, contract, labels.Select((y, r) => new RegressionRow { Label = y, Score = outputs[r] }), null);
        }
    }

    static MulticlassRow Multiclass(float label, ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        int best = 0;
        for (int j = 0; j < logits.Length; j++)
            if (logits[j] > max) (max, best) = (logits[j], j);
        var probabilities = new float[logits.Length];
        float sum = 0;
        for (int j = 0; j < logits.Length; j++) sum += probabilities[j] = MathF.Exp(logits[j] - max);
        for (int j = 0; j < logits.Length; j++) probabilities[j] /= sum;
        // LoadFromEnumerable stores a key-typed uint as value + 1, so the 0-based class goes in.
        return new MulticlassRow { Label = (uint)label, Score = probabilities, PredictedLabel = (uint)best };
    }

    static IDataView Load<T>(MLContext ml, ColumnContract contract, IEnumerable<T> rows, int? classes) where T : class
    {
        var schema = SchemaDefinition.Create(typeof(T));
        schema["Label"].ColumnName = contract.LabelColumnName;
        if (classes is { } k)
        {
            schema[nameof(MulticlassRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, k);
            schema[contract.LabelColumnName].ColumnType = new KeyDataViewType(typeof(uint), k);
            schema[nameof(MulticlassRow.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), k);
        }
        return ml.Data.LoadFromEnumerable(rows.ToList(), schema);
    }

    sealed class BinaryRow
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    sealed class MulticlassRow
    {
        public uint Label { get; set; }
        public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }

    sealed class RegressionRow
    {
        public float Label { get; set; }
        public float Score { get; set; }
    }
}
