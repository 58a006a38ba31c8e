namespace Pipelines.Torch.Data;

/// <summary>A seeded random split of materialized rows into training and validation parts.</summary>
internal static class DataSplit
{
    public static (TabularData Train, TabularData Validation) Split(TabularData all, int validationRows, int seed)
    {
        var order = Enumerable.Range(0, all.Rows).ToArray();
        new Random(seed).Shuffle(order);
        var validation = order.Take(validationRows).Order().ToArray();
        var train = order.Skip(validationRows).Order().ToArray();
        return (Take(all, train), Take(all, validation));
    }

    static TabularData Take(TabularData all, int[] rows)
    {
        int d = all.Dimension;
        var features = new float[rows.Length * d];
        var labels = new float[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            Array.Copy(all.Features, rows[i] * d, features, i * d, d);
            labels[i] = all.Labels[rows[i]];
        }
        return new TabularData { Features = features, Labels = labels, Rows = rows.Length, Dimension = d };
    }
}
