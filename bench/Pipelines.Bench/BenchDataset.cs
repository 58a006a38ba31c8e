using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Pipelines.Bench;

/// <summary>
/// A dataset held as plain arrays, so the trainer (through an <see cref="IDataView"/>) and the hand-written loop
/// (through tensors) train on exactly the same rows. <see cref="Classes"/> == 2 means a Boolean label (binary),
/// more means a key-typed label (multiclass); <see cref="Labels"/> holds 0/1 or the 0-based class.
/// </summary>
sealed record BenchDataset(string Name, float[] Features, float[] Labels, int Rows, int Dimension, int Classes)
{
    public bool IsBinary => Classes == 2;

    /// <summary>An in-memory data view with a known-size Features vector and a Boolean or key-typed Label.</summary>
    public IDataView ToDataView(MLContext ml)
    {
        var featureType = new VectorDataViewType(NumberDataViewType.Single, Dimension);
        if (IsBinary)
        {
            var schema = SchemaDefinition.Create(typeof(BinaryRow));
            schema[nameof(BinaryRow.Features)].ColumnType = featureType;
            var rows = Enumerable.Range(0, Rows).Select(r => new BinaryRow { Features = Row(r), Label = Labels[r] > 0.5f }).ToList();
            return ml.Data.LoadFromEnumerable(rows, schema);
        }
        else
        {
            var schema = SchemaDefinition.Create(typeof(KeyRow));
            schema[nameof(KeyRow.Features)].ColumnType = featureType;
            schema[nameof(KeyRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), Classes);
            // LoadFromEnumerable stores a key-typed uint property as value + 1 (0 is 'missing'), so give it the 0-based class.
            var rows = Enumerable.Range(0, Rows).Select(r => new KeyRow { Features = Row(r), Label = (uint)Labels[r] }).ToList();
            return ml.Data.LoadFromEnumerable(rows, schema);
        }
    }

    float[] Row(int r) => Features.AsSpan(r * Dimension, Dimension).ToArray();

    /// <summary>
    /// datasets/adult.csv: the 6 numeric columns (age, fnlwgt, education_num, capital_gain, capital_loss,
    /// hours_per_week) and the Boolean label; 32,561 rows.
    /// </summary>
    public static BenchDataset Adult(string path)
    {
        int[] columns = { 0, 2, 4, 10, 11, 12 };
        const int labelColumn = 14;
        var features = new List<float>();
        var labels = new List<float>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            foreach (var c in columns) features.Add(float.Parse(cells[c].Trim(), CultureInfo.InvariantCulture));
            labels.Add(bool.Parse(cells[labelColumn].Trim()) ? 1f : 0f);
        }
        return new BenchDataset("adult (6 numeric)", features.ToArray(), labels.ToArray(), labels.Count, columns.Length, 2);
    }

    sealed class BinaryRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public bool Label { get; set; }
    }

    sealed class KeyRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public uint Label { get; set; }
    }
}
