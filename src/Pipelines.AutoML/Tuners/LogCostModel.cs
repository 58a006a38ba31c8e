namespace Pipelines.AutoML.Tuners;

/// <summary>
/// Predicts the log of a trial's cost (its duration in seconds) from its point on the unit cube, by ridge
/// regression. Log cost is close to linear in the cube for the parameters that drive training time: epochs, width
/// and batch size are searched on log scales, and time is a product of them (epochs x rows / throughput), so the
/// log of that product is a sum. Features: each numeric coordinate's value where it is active (0 elsewhere), and a
/// one-hot per choice and one_of selector where active, so each trainer of a conditional space has its own level.
/// </summary>
internal sealed class LogCostModel
{
    /// <summary>Ridge penalty on the weights (features lie in [0,1]); enough to keep a few trials from fitting noise.</summary>
    const double Ridge = 0.1;

    readonly IReadOnlyList<CubeDimension> _dimensions;
    readonly int _featureCount;
    /// <summary>Where each dimension's features start.</summary>
    readonly int[] _offsets;
    readonly double[] _weights;
    readonly double _intercept;

    public int Observations { get; }

    /// <param name="dimensions">The space's cube coordinates.</param>
    /// <param name="points">Points of trials whose full cost is known.</param>
    /// <param name="seconds">Their durations; non-positive or non-finite ones are skipped.</param>
    public LogCostModel(IReadOnlyList<CubeDimension> dimensions, IReadOnlyList<double[]> points, IReadOnlyList<double> seconds)
    {
        _dimensions = dimensions;
        _offsets = new int[dimensions.Count];
        for (int d = 0; d < dimensions.Count; d++)
        {
            _offsets[d] = _featureCount;
            _featureCount += dimensions[d].IsCategorical ? dimensions[d].Levels : 1;
        }
        var rows = new List<double[]>();
        var targets = new List<double>();
        for (int i = 0; i < points.Count; i++)
        {
            if (!(seconds[i] > 0) || !double.IsFinite(seconds[i])) continue;
            rows.Add(Features(points[i]));
            targets.Add(Math.Log(seconds[i]));
        }
        Observations = rows.Count;
        _weights = new double[_featureCount];
        if (rows.Count == 0) return;

        // Centre features and targets so the intercept is not penalized.
        var means = new double[_featureCount];
        foreach (var row in rows) for (int j = 0; j < _featureCount; j++) means[j] += row[j] / rows.Count;
        double targetMean = targets.Average();
        var gram = new double[_featureCount, _featureCount];
        var moment = new double[_featureCount];
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            double y = targets[r] - targetMean;
            for (int i = 0; i < _featureCount; i++)
            {
                double xi = row[i] - means[i];
                moment[i] += xi * y;
                for (int j = 0; j <= i; j++) gram[i, j] += xi * (row[j] - means[j]);
            }
        }
        for (int i = 0; i < _featureCount; i++) gram[i, i] += Ridge;
        SolveSymmetricPositiveDefinite(gram, moment, _weights);
        _intercept = targetMean;
        for (int j = 0; j < _featureCount; j++) _intercept -= _weights[j] * means[j];
    }

    /// <summary>The predicted natural log of the cost in seconds at <paramref name="point"/>.</summary>
    public double PredictLogSeconds(double[] point)
    {
        var features = Features(point);
        double sum = _intercept;
        for (int j = 0; j < _featureCount; j++) sum += _weights[j] * features[j];
        return sum;
    }

    /// <summary>
    /// The part of the predicted log cost that the <paramref name="ordinal"/>-th dimension contributes at unit value
    /// <paramref name="u"/> when it is active: the model is a sum of such terms, so each coordinate can be weighed on its own.
    /// </summary>
    public double CoordinateTerm(int ordinal, double u)
    {
        var (feature, value) = Encode(ordinal, u);
        return _weights[feature] * value;
    }

    /// <summary>The one feature an active coordinate sets: its own value for a number, a 1 on its bin for a choice.</summary>
    (int Feature, double Value) Encode(int ordinal, double u)
    {
        var dimension = _dimensions[ordinal];
        return dimension.IsCategorical ? (_offsets[ordinal] + CubeDimension.BinOf(u, dimension.Levels), 1) : (_offsets[ordinal], u);
    }

    double[] Features(double[] point)
    {
        var features = new double[_featureCount];
        for (int d = 0; d < _dimensions.Count; d++)
        {
            if (!_dimensions[d].IsActiveAt(point)) continue;
            var (feature, value) = Encode(d, point[_dimensions[d].Index]);
            features[feature] = value;
        }
        return features;
    }

    /// <summary>Solves A x = b by Cholesky; only the lower triangle of A is read (the ridge keeps A positive definite).</summary>
    static void SolveSymmetricPositiveDefinite(double[,] a, double[] b, double[] x)
    {
        int n = b.Length;
        var lower = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++) sum -= lower[i, k] * lower[j, k];
                lower[i, j] = i == j ? Math.Sqrt(sum) : sum / lower[j, j];
            }
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= lower[i, k] * y[k];
            y[i] = sum / lower[i, i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) sum -= lower[k, i] * x[k];
            x[i] = sum / lower[i, i];
        }
    }
}
