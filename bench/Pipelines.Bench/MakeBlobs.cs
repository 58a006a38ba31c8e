namespace Pipelines.Bench;

/// <summary>
/// scikit-learn's <c>make_blobs(n_samples, centers, n_features, cluster_std, center_box=(-10, 10), shuffle=True,
/// random_state)</c>, draw for draw: centers uniform in the box (row by row), then each center's samples in turn
/// (the first n % centers centers get one more), then the rows shuffled. Checked against the example in
/// scikit-learn's documentation by <see cref="CheckAgainstScikitLearn"/>.
/// </summary>
static class MakeBlobs
{
    public static (double[][] X, int[] Y) Generate(int samples, int centers, int features, double clusterStd, uint randomState)
    {
        var random = new NumpyRandomState(randomState);
        var centerPoints = new double[centers][];
        for (int c = 0; c < centers; c++)
        {
            centerPoints[c] = new double[features];
            for (int f = 0; f < features; f++) centerPoints[c][f] = random.Uniform(-10, 10);
        }
        var x = new double[samples][];
        var y = new int[samples];
        int row = 0;
        for (int c = 0; c < centers; c++)
        {
            int count = samples / centers + (c < samples % centers ? 1 : 0);
            for (int i = 0; i < count; i++, row++)
            {
                x[row] = new double[features];
                for (int f = 0; f < features; f++) x[row][f] = centerPoints[c][f] + clusterStd * random.Gauss();
                y[row] = c;
            }
        }
        var order = Enumerable.Range(0, samples).ToArray();
        random.Shuffle(order);
        return (order.Select(i => x[i]).ToArray(), order.Select(i => y[i]).ToArray());
    }

    /// <summary>
    /// scikit-learn's documented example: make_blobs(n_samples=10, centers=3, n_features=2, random_state=0) has
    /// y = [0, 0, 1, 0, 2, 2, 2, 1, 1, 0]; NumPy's RandomState(0) starts with random_sample() = 0.5488135039273248
    /// and standard_normal() = 1.764052345967664.
    /// Throws if this generator disagrees.
    /// </summary>
    public static void CheckAgainstScikitLearn()
    {
        double first = new NumpyRandomState(0).NextDouble();
        if (Math.Abs(first - 0.5488135039273248) > 1e-15) throw new InvalidOperationException($"RandomState(0).random_sample() = {first:R}, NumPy gives 0.5488135039273248.");
        double gauss = new NumpyRandomState(0).Gauss();
        if (Math.Abs(gauss - 1.764052345967664) > 1e-12) throw new InvalidOperationException($"RandomState(0).standard_normal() = {gauss:R}, NumPy gives 1.764052345967664.");
        var (_, y) = Generate(10, 3, 2, 1.0, 0);
        var expected = new[] { 0, 0, 1, 0, 2, 2, 2, 1, 1, 0 };
        if (!y.SequenceEqual(expected))
            throw new InvalidOperationException($"make_blobs(10, 3, 2, random_state=0) labels [{string.Join(", ", y)}], scikit-learn documents [{string.Join(", ", expected)}].");
    }
}
