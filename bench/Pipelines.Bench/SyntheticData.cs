namespace Pipelines.Bench;

/// <summary>
/// A fixed synthetic multiclass dataset: Gaussian blobs (unit variance) around random class centres, drawn from a
/// seeded <see cref="Random"/>, so every run trains on the same rows.
/// </summary>
static class SyntheticData
{
    public static BenchDataset Create(int rows = 20_000, int dimension = 20, int classes = 3, int seed = 42)
    {
        var random = new Random(seed);
        var centres = new float[classes, dimension];
        for (int c = 0; c < classes; c++)
            for (int j = 0; j < dimension; j++)
                centres[c, j] = (float)(1.5 * Gaussian(random));

        var features = new float[rows * dimension];
        var labels = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            int c = random.Next(classes);
            labels[r] = c;
            for (int j = 0; j < dimension; j++)
                features[r * dimension + j] = centres[c, j] + (float)Gaussian(random);
        }
        return new BenchDataset($"synthetic ({dimension}f, {classes}c)", features, labels, rows, dimension, classes);
    }

    static double Gaussian(Random random) => // Box-Muller
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
