namespace Pipelines.Torch.Networks;

/// <summary>
/// Per-feature mean and scale learned from the training data: z = (x - mean) / scale. Constant features get scale 1.
/// Computed in double, applied in float exactly as the exported ONNX graph does (Sub then Div).
/// </summary>
internal sealed record Standardization(float[] Mean, float[] Scale)
{
    public static Standardization Identity(int dimension) =>
        new(new float[dimension], Enumerable.Repeat(1f, dimension).ToArray());

    public static Standardization Fit(float[] rowMajor, int rows, int dimension)
    {
        var sum = new double[dimension];
        var sumSq = new double[dimension];
        for (int r = 0; r < rows; r++)
        {
            int offset = r * dimension;
            for (int j = 0; j < dimension; j++)
            {
                double v = rowMajor[offset + j];
                sum[j] += v;
                sumSq[j] += v * v;
            }
        }
        var mean = new float[dimension];
        var scale = new float[dimension];
        for (int j = 0; j < dimension; j++)
        {
            double m = sum[j] / rows;
            double variance = Math.Max(0, sumSq[j] / rows - m * m);
            double sd = Math.Sqrt(variance);
            mean[j] = (float)m;
            scale[j] = sd > 1e-12 * Math.Max(1, Math.Abs(m)) ? (float)sd : 1f;
        }
        return new Standardization(mean, scale);
    }

    /// <summary>
    /// Images: one mean and scale per channel (over all its pixels and rows), written out per pixel so that applying
    /// and exporting it is the same as for tabular features. Per-pixel statistics would blow up constant border pixels.
    /// </summary>
    public static Standardization FitPerChannel(float[] rowMajor, int rows, ImageShape shape)
    {
        int plane = shape.Height * shape.Width, dimension = shape.Size;
        var mean = new float[dimension];
        var scale = new float[dimension];
        for (int c = 0; c < shape.Channels; c++)
        {
            double sum = 0, sumSq = 0;
            for (int r = 0; r < rows; r++)
            {
                int offset = r * dimension + c * plane;
                for (int j = 0; j < plane; j++)
                {
                    double v = rowMajor[offset + j];
                    sum += v;
                    sumSq += v * v;
                }
            }
            double count = (double)rows * plane;
            double m = sum / count;
            double sd = Math.Sqrt(Math.Max(0, sumSq / count - m * m));
            Array.Fill(mean, (float)m, c * plane, plane);
            Array.Fill(scale, sd > 1e-12 * Math.Max(1, Math.Abs(m)) ? (float)sd : 1f, c * plane, plane);
        }
        return new Standardization(mean, scale);
    }

    /// <summary>A standardized copy of <paramref name="rowMajor"/>.</summary>
    public float[] Apply(float[] rowMajor)
    {
        int dimension = Mean.Length;
        var result = new float[rowMajor.Length];
        for (int i = 0; i < rowMajor.Length; i++)
        {
            int j = i % dimension;
            result[i] = (rowMajor[i] - Mean[j]) / Scale[j];
        }
        return result;
    }
}
