namespace Pipelines.AutoML.Tuners;

/// <summary>
/// Multivariate TPE's density over the whole cube, as Optuna's <c>TPESampler(multivariate=True)</c>: one kernel per
/// observed trial that is a product over the coordinates, plus a prior kernel. A draw picks one kernel and samples
/// every coordinate from it, so it keeps the combinations the observed trials had (a learning rate that suits its
/// batch size) instead of mixing coordinates of different trials, as the independent sampler does.
/// <list type="bullet">
/// <item>Numeric coordinates: Gaussians truncated to [0,1] with one bandwidth per coordinate,
/// 0.2 n^(-1/(D+4)) (Scott's rule with Optuna's constant, D the number of coordinates), clipped as the independent
/// sampler clips; the prior kernel is centred at 0.5 with sigma 1.</item>
/// <item>Choices: mass 1 on the trial's choice plus prior_weight / (n + 1) on every choice; the prior kernel is
/// uniform.</item>
/// <item>A coordinate the trial did not use (an unchosen one_of option) is uniform in that trial's kernel. A
/// coordinate the evaluated point does not use is left out of its density: integrating it out of a product kernel
/// leaves 1.</item>
/// </list>
/// </summary>
internal sealed class JointParzenEstimator
{
    const double SigmaFactor = 0.2;

    readonly IReadOnlyList<CubeDimension> _dimensions;
    readonly IReadOnlyList<double[]> _centres;
    /// <summary>Kernel weights, observed trials first and the prior last, summing to 1.</summary>
    readonly double[] _weights;
    readonly double[] _logWeights;
    /// <summary>The bandwidth of every numeric coordinate in every observed kernel.</summary>
    readonly double _sigma;
    /// <summary>[kernel][ordinal]: log(1 / (sigma sqrt(2 pi) Z)) for numeric coordinates the kernel's trial used.</summary>
    readonly double[][] _logScales;
    readonly double _priorLogScale;
    /// <summary>Additive smoothing of a choice kernel: prior_weight / (n + 1) on every choice.</summary>
    readonly double _smoothing;
    /// <summary>[kernel][ordinal]: whether the kernel's trial used the coordinate (always false for the prior).</summary>
    readonly bool[][] _used;
    /// <summary>[kernel][ordinal]: the bin of the trial's choice, for choice coordinates it used.</summary>
    readonly int[][] _ownBins;
    /// <summary>Per ordinal, for choices: log of a kernel's mass on its own bin, on another bin, and of a uniform bin.</summary>
    readonly double[] _logOwnBin, _logOtherBin, _logUniformBin;
    readonly double[] _terms;

    /// <param name="dimensions">The space's cube coordinates.</param>
    /// <param name="points">The trials' points, oldest first (the older ones weigh less past 25).</param>
    /// <param name="priorWeight">The weight of the prior kernel against 1 per trial.</param>
    public JointParzenEstimator(IReadOnlyList<CubeDimension> dimensions, IReadOnlyList<double[]> points, double priorWeight)
    {
        _dimensions = dimensions;
        _centres = points;
        int n = points.Count;
        _weights = new double[n + 1];
        TpeTuner.DefaultWeights(n).CopyTo(_weights, 0);
        _weights[n] = n == 0 ? 1.0 : priorWeight;
        double total = _weights.Sum();
        _logWeights = new double[n + 1];
        for (int k = 0; k <= n; k++)
        {
            _weights[k] /= total;
            _logWeights[k] = Math.Log(_weights[k]);
        }

        _sigma = Math.Clamp(SigmaFactor * Math.Pow(Math.Max(n, 1), -1.0 / (dimensions.Count + 4)), TpeTuner.MinimumSigma(n + 1), 1.0);
        _priorLogScale = TruncatedNormal.LogScale(TpeTuner.PriorCentre, TpeTuner.PriorSigma);
        _smoothing = priorWeight / (n + 1);
        // Per kernel and coordinate: whether its trial used it, and then its choice's bin or its numeric log scale.
        // The prior kernel (index n) uses none of them.
        _used = new bool[n + 1][];
        _ownBins = new int[n + 1][];
        _logScales = new double[n + 1][];
        for (int k = 0; k <= n; k++)
        {
            _used[k] = new bool[dimensions.Count];
            _ownBins[k] = new int[dimensions.Count];
            _logScales[k] = new double[dimensions.Count];
            if (k == n) continue;
            for (int d = 0; d < dimensions.Count; d++)
            {
                var dimension = dimensions[d];
                if (!dimension.IsActiveAt(points[k])) continue;
                _used[k][d] = true;
                double value = points[k][dimension.Index];
                if (dimension.IsCategorical) _ownBins[k][d] = CubeDimension.BinOf(value, dimension.Levels);
                else _logScales[k][d] = TruncatedNormal.LogScale(value, _sigma);
            }
        }
        _logOwnBin = new double[dimensions.Count];
        _logOtherBin = new double[dimensions.Count];
        _logUniformBin = new double[dimensions.Count];
        for (int d = 0; d < dimensions.Count; d++)
        {
            if (!dimensions[d].IsCategorical) continue;
            int levels = dimensions[d].Levels;
            _logOwnBin[d] = Math.Log((1 + _smoothing) / (1 + levels * _smoothing));
            _logOtherBin[d] = Math.Log(_smoothing / (1 + levels * _smoothing));
            _logUniformBin[d] = -Math.Log(levels);
        }
        _terms = new double[n + 1];
    }

    /// <summary>A point of the cube drawn from one kernel chosen by weight.</summary>
    public double[] Sample(Random random)
    {
        int k = TpeTuner.Draw(_weights, random);
        bool prior = k == _centres.Count;
        var point = new double[_dimensions.Count];
        for (int o = 0; o < _dimensions.Count; o++)
        {
            var dimension = _dimensions[o];
            int d = dimension.Index;
            bool used = _used[k][o];
            if (dimension.IsCategorical)
            {
                int bin = used ? DrawChoice(random, _ownBins[k][o], dimension.Levels) : random.Next(dimension.Levels);
                point[d] = (bin + 0.5) / dimension.Levels;
            }
            else if (prior) point[d] = TruncatedNormal.Sample(random, TpeTuner.PriorCentre, TpeTuner.PriorSigma);
            else point[d] = used ? TruncatedNormal.Sample(random, _centres[k][d], _sigma) : random.NextDouble();
        }
        return point;
    }

    /// <summary>The log density at <paramref name="point"/>, over the coordinates the point uses.</summary>
    public double LogDensity(double[] point)
    {
        int n = _centres.Count;
        var active = new bool[_dimensions.Count];
        var bins = new int[_dimensions.Count];
        for (int o = 0; o < active.Length; o++)
        {
            active[o] = _dimensions[o].IsActiveAt(point);
            if (_dimensions[o].IsCategorical) bins[o] = CubeDimension.BinOf(point[_dimensions[o].Index], _dimensions[o].Levels);
        }
        double max = double.NegativeInfinity;
        for (int k = 0; k <= n; k++)
        {
            bool prior = k == n;
            double term = _logWeights[k];
            for (int o = 0; o < _dimensions.Count; o++)
            {
                if (!active[o]) continue;
                var dimension = _dimensions[o];
                double x = point[dimension.Index];
                bool used = _used[k][o];
                if (dimension.IsCategorical)
                {
                    if (!used) term += _logUniformBin[o];
                    else term += bins[o] == _ownBins[k][o] ? _logOwnBin[o] : _logOtherBin[o];
                }
                else if (prior)
                {
                    double z = (x - TpeTuner.PriorCentre) / TpeTuner.PriorSigma;
                    term += _priorLogScale - 0.5 * z * z;
                }
                else if (used)
                {
                    double z = (x - _centres[k][dimension.Index]) / _sigma;
                    term += _logScales[k][o] - 0.5 * z * z;
                }
                // A numeric coordinate the kernel's trial did not use is uniform on [0,1]: log density 0.
            }
            _terms[k] = term;
            if (term > max) max = term;
        }
        double sum = 0;
        for (int k = 0; k <= n; k++) sum += Math.Exp(_terms[k] - max);
        return max + Math.Log(sum);
    }

    /// <summary>A draw from a choice kernel: its own bin with mass 1 + smoothing, every other bin with the smoothing alone.</summary>
    int DrawChoice(Random random, int own, int levels)
    {
        double draw = random.NextDouble() * (1 + levels * _smoothing);
        if (draw < 1) return own;
        return Math.Min(levels - 1, (int)((draw - 1) / _smoothing));
    }
}
