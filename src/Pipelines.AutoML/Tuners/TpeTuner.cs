namespace Pipelines.AutoML.Tuners;

/// <summary>
/// Tree-structured Parzen Estimator, as Optuna's default <c>TPESampler</c> (independent, not multivariate), on the
/// unit cube.
/// <list type="bullet">
/// <item>The first <see cref="NumberOfStartupTrials"/> proposals (counted in observed results) are uniform random.</item>
/// <item>Then the observed trials are ranked by loss; the best gamma(n) = min(ceil(0.1 n), 25) form the good group,
/// the rest the bad group. Failed trials (infinite or NaN loss) are always bad.</item>
/// <item>Each coordinate is sampled on its own, from the trials in which it mattered (a coordinate of an unchosen
/// one_of option is left out), as Optuna samples each parameter of a trial independently. Two densities are
/// built per coordinate, l from the good trials and g from the bad ones, each a mixture with one kernel per trial
/// plus a prior kernel of weight <see cref="PriorWeight"/>; trials weigh 1, except that with 25 or more the older
/// ones ramp down linearly (Optuna's default weights). <see cref="NumberOfCandidates"/> candidates are drawn from
/// l and the one with the largest log l(x) - log g(x) is kept.</item>
/// <item>Numeric coordinates: Gaussians truncated to [0,1], centred on the observed values; the prior is centred
/// at 0.5 with sigma 1. A kernel's sigma is the larger distance to its neighbours among the sorted centres (prior
/// centre and the ends 0 and 1 included; the outermost kernels use their inner neighbour only), clipped to
/// [1 / min(100, n + 2), 1]: Optuna's rule. Integer and power-of-two ranges are handled as continuous on the
/// cube, whose equal bins make a Gaussian over the bins the same as Optuna's discretized one up to rounding.</item>
/// <item>Choice coordinates (and one_of selectors): each trial's kernel puts mass 1 on its choice plus
/// prior_weight / (n + 1) on every choice (additive smoothing), the prior kernel is uniform.</item>
/// </list>
/// Cost-aware mode (<see cref="CostExponent"/> beta above 0; off by default): a candidate's score log l(x) - log g(x)
/// becomes log l(x) - log g(x) - beta log c(x), with c(x) the predicted duration of a trial at x. Since l/g is
/// TPE's stand-in for expected improvement, beta = 1 is "EI per second" (Snoek, Larochelle and Adams 2012); smaller
/// beta trades less quality for speed. c comes from <see cref="LogCostModel"/>, a regression of log duration on the
/// cube fitted to completed trials only (pruned and failed ones stopped early, so their durations understate the
/// cost of their point). That model is a sum of one term per coordinate, so the score stays a sum over coordinates
/// and each coordinate still picks its own best candidate, exactly as in the independent sampler. Under a time
/// budget this keeps TPE from drifting to slow configurations that are barely better (small batch sizes, wide
/// networks, many epochs) and so lets it run more trials. Why it is off by default and which beta the CLI's tpe-cost
/// uses: docs/benchmarks.md.
/// Multivariate mode (<see cref="Multivariate"/>; off by default, as in Optuna): candidates are drawn and scored
/// whole from a <see cref="JointParzenEstimator"/>, whose kernels are products over the coordinates, so a good
/// trial's combination of values (a learning rate that suits its batch size) is kept; the cost term is then the
/// cost model's whole prediction.
/// Left out compared with Optuna: grouped TPE, constant liar and the special ranking of pruned trials by their
/// intermediate values. Parallel proposals: pending trials are simply not observed yet (Optuna's default); each
/// proposal draws fresh candidates, so they differ. Proposals depend only on the seed and the sequence of calls, so
/// runs reproduce exactly.
/// </summary>
public sealed class TpeTuner : ITuner
{
    readonly SearchSpace _space;
    readonly IReadOnlyList<CubeDimension> _dimensions;
    readonly Random _random;
    readonly List<Observation> _observations = new();

    public int NumberOfStartupTrials { get; }
    public int NumberOfCandidates { get; }
    public double PriorWeight { get; }

    /// <summary>
    /// beta in the cost-aware score log EI(x) - beta log cost(x): 0 ignores cost (Optuna's TPE), 1 is expected
    /// improvement per second, values between trade the two off.
    /// </summary>
    public double CostExponent { get; }

    /// <summary>Completed trials needed before cost-aware proposals start; until then proposals ignore cost.</summary>
    public const int MinimumCostObservations = 3;

    /// <summary>
    /// Whether candidates are drawn and scored whole (Optuna's multivariate TPE), so correlations between parameters
    /// (learning rate with batch size) are kept, instead of coordinate by coordinate.
    /// </summary>
    public bool Multivariate { get; }

    public TpeTuner(SearchSpace space, int seed = 0, int numberOfStartupTrials = 10, int numberOfCandidates = 24, double priorWeight = 1.0,
        double costExponent = 0.0, bool multivariate = false)
    {
        if (!(costExponent >= 0) || double.IsInfinity(costExponent)) throw new ArgumentOutOfRangeException(nameof(costExponent), costExponent, "The cost exponent must be 0 (ignore cost) or a positive number.");
        _space = space ?? throw new ArgumentNullException(nameof(space));
        if (numberOfStartupTrials < 0) throw new ArgumentOutOfRangeException(nameof(numberOfStartupTrials), numberOfStartupTrials, "Cannot be negative.");
        if (numberOfCandidates < 1) throw new ArgumentOutOfRangeException(nameof(numberOfCandidates), numberOfCandidates, "TPE needs at least one candidate.");
        if (!(priorWeight > 0) || double.IsInfinity(priorWeight)) throw new ArgumentOutOfRangeException(nameof(priorWeight), priorWeight, "The prior weight must be a positive number.");
        _dimensions = UnitCube.Describe(space);
        _random = new Random(seed);
        NumberOfStartupTrials = numberOfStartupTrials;
        NumberOfCandidates = numberOfCandidates;
        PriorWeight = priorWeight;
        CostExponent = costExponent;
        Multivariate = multivariate;
    }

    /// <summary>Centre and sigma of the prior kernel of every numeric coordinate: a broad bump over the whole range.</summary>
    internal const double PriorCentre = 0.5, PriorSigma = 1.0;

    /// <summary>Optuna's "magic clip": no kernel narrower than 1 / min(100, kernels + 1) of the range.</summary>
    internal static double MinimumSigma(int kernels) => 1.0 / Math.Min(100.0, 1.0 + kernels);

    /// <summary>Optuna's default size of the good group for <paramref name="observed"/> trials.</summary>
    public static int DefaultGamma(int observed) => Math.Min((int)Math.Ceiling(0.1 * observed), 25);

    /// <summary>Optuna's default kernel weights for <paramref name="count"/> trials, oldest first: flat below 25, then a linear ramp for the older ones.</summary>
    public static double[] DefaultWeights(int count)
    {
        var weights = new double[count];
        Array.Fill(weights, 1.0);
        int ramped = count - 25;
        if (count >= 25)
            for (int i = 0; i < ramped; i++)
                weights[i] = ramped == 1 ? 1.0 / count : 1.0 / count + (1.0 - 1.0 / count) * i / (ramped - 1);
        return weights;
    }

    public Parameter Propose(TrialSettings settings)
    {
        if (_observations.Count < NumberOfStartupTrials || _observations.Count == 0)
            return _space.SampleFromFeatureSpace(UnitCube.UniformPoint(_random, _space.FeatureSpaceDimension));

        var (good, bad) = Split();
        var cost = CostExponent > 0 ? FitCostModel() : null;
        double[] point;
        if (Multivariate) point = BestJointCandidate(good, bad, cost);
        else
        {
            var densities = _dimensions.Select(d => (Dimension: d, Below: Density(d, good), Above: Density(d, bad))).ToArray();
            point = BestCandidatePerCoordinate(densities, cost);
        }
        UnitCube.Clip(point);
        return _space.SampleFromFeatureSpace(point);
    }

    /// <summary>
    /// Optuna's multivariate sampling: whole candidates drawn from l, the one with the largest
    /// log l(x) - log g(x) (less beta times the predicted log cost, with a cost model) kept.
    /// </summary>
    double[] BestJointCandidate(List<Observation> good, List<Observation> bad, LogCostModel? cost)
    {
        var below = new JointParzenEstimator(_dimensions, good.Select(o => o.Point).ToList(), PriorWeight);
        var above = new JointParzenEstimator(_dimensions, bad.Select(o => o.Point).ToList(), PriorWeight);
        double[]? best = null;
        double bestScore = double.NegativeInfinity;
        for (int i = 0; i < NumberOfCandidates; i++)
        {
            var candidate = below.Sample(_random);
            double score = below.LogDensity(candidate) - above.LogDensity(candidate);
            if (cost != null) score -= CostExponent * cost.PredictLogSeconds(candidate);
            best ??= candidate; // the first draw stands should no score be finite
            if (score > bestScore) { best = candidate; bestScore = score; }
        }
        return best!;
    }

    /// <summary>
    /// Optuna's independent sampling: each coordinate keeps its own best of the candidates drawn from l. With a cost
    /// model, each candidate's score also loses beta times the coordinate's share of the predicted log cost.
    /// </summary>
    double[] BestCandidatePerCoordinate((CubeDimension Dimension, IParzenEstimator Below, IParzenEstimator Above)[] densities, LogCostModel? cost)
    {
        var point = new double[_space.FeatureSpaceDimension];
        for (int d = 0; d < densities.Length; d++)
        {
            var (dimension, below, above) = densities[d];
            double best = 0.5, bestScore = double.NegativeInfinity;
            for (int i = 0; i < NumberOfCandidates; i++)
            {
                double candidate = below.Sample(_random);
                double score = below.LogDensity(candidate) - above.LogDensity(candidate);
                if (cost != null) score -= CostExponent * cost.CoordinateTerm(d, candidate);
                if (score > bestScore) { best = candidate; bestScore = score; }
            }
            point[dimension.Index] = best;
        }
        return point;
    }

    /// <summary>The cost model over the completed trials, or null while there are too few of them.</summary>
    LogCostModel? FitCostModel()
    {
        var completed = _observations.Where(o => o.Status == TrialStatus.Completed).ToList();
        if (completed.Count < MinimumCostObservations) return null;
        // The model skips durations that are not positive and finite; count only those it kept.
        var model = new LogCostModel(_dimensions, completed.Select(o => o.Point).ToList(), completed.Select(o => o.Seconds).ToList());
        return model.Observations >= MinimumCostObservations ? model : null;
    }

    /// <summary>Records a result; a second result for the same trial replaces the first.</summary>
    public void Update(TrialResult result)
    {
        var observation = new Observation(result.TrialId, _space.MappingToFeatureSpace(result.Parameter), UnitCube.SanitizeLoss(result.Loss),
            result.DurationSeconds, result.Status);
        int existing = _observations.FindIndex(o => o.TrialId == result.TrialId);
        if (existing >= 0) _observations[existing] = observation;
        else _observations.Add(observation);
    }

    /// <summary>The good and bad groups, each oldest trial first (so the weight ramp favours recent trials).</summary>
    (List<Observation> Good, List<Observation> Bad) Split()
    {
        var ranked = _observations.OrderBy(o => o.Loss).ThenBy(o => o.TrialId).ToList();
        int finite = ranked.Count(o => !double.IsPositiveInfinity(o.Loss));
        int goodCount = Math.Min(DefaultGamma(ranked.Count), finite);
        return (ranked.Take(goodCount).OrderBy(o => o.TrialId).ToList(), ranked.Skip(goodCount).OrderBy(o => o.TrialId).ToList());
    }

    static List<double> ValuesWhereActive(CubeDimension dimension, List<Observation> trials)
    {
        var values = new List<double>(trials.Count);
        foreach (var trial in trials)
            if (dimension.IsActiveAt(trial.Point)) values.Add(trial.Point[dimension.Index]);
        return values;
    }

    /// <summary>The mixture of smoothed one-hot kernels and a uniform prior kernel, summed into one distribution over the choices.</summary>
    double[] ChoiceProbabilities(List<double> observed, int levels)
    {
        var probabilities = new double[levels];
        if (observed.Count == 0)
        {
            Array.Fill(probabilities, 1.0 / levels);
            return probabilities;
        }
        var weights = DefaultWeights(observed.Count);
        double total = weights.Sum() + PriorWeight;
        double smoothing = PriorWeight / (observed.Count + 1);
        double kernelTotal = 1 + levels * smoothing;
        for (int i = 0; i < observed.Count; i++)
        {
            double share = weights[i] / total / kernelTotal;
            for (int c = 0; c < levels; c++) probabilities[c] += share * smoothing;
            probabilities[CubeDimension.BinOf(observed[i], levels)] += share;
        }
        for (int c = 0; c < levels; c++) probabilities[c] += PriorWeight / total / levels;
        return probabilities;
    }

    internal static int Draw(double[] probabilities, Random random)
    {
        double draw = random.NextDouble(), cumulative = 0;
        for (int i = 0; i < probabilities.Length - 1; i++)
        {
            cumulative += probabilities[i];
            if (draw < cumulative) return i;
        }
        return probabilities.Length - 1;
    }

    sealed record Observation(int TrialId, double[] Point, double Loss, double Seconds, TrialStatus Status);

    /// <summary>A density over one coordinate of the cube, which can be sampled.</summary>
    interface IParzenEstimator
    {
        double Sample(Random random);
        double LogDensity(double u);
    }

    IParzenEstimator Density(CubeDimension dimension, List<Observation> trials) => dimension.IsCategorical
        ? new ChoiceDistribution(ChoiceProbabilities(ValuesWhereActive(dimension, trials), dimension.Levels))
        : new TruncatedGaussianMixture(ValuesWhereActive(dimension, trials), PriorWeight);

    /// <summary>A distribution over the equal bins of a choice coordinate; a draw is the centre of its bin.</summary>
    sealed class ChoiceDistribution(double[] probabilities) : IParzenEstimator
    {
        public double Sample(Random random) => (Draw(probabilities, random) + 0.5) / probabilities.Length;
        public double LogDensity(double u) => Math.Log(probabilities[CubeDimension.BinOf(u, probabilities.Length)]);
    }

    /// <summary>Optuna's Parzen estimator for one numeric coordinate: Gaussians truncated to [0,1] plus a broad prior.</summary>
    sealed class TruncatedGaussianMixture : IParzenEstimator
    {
        /// <summary>Kernels this far (in log) below the largest add less than 1e-17 of it: skipping their exp changes nothing.</summary>
        const double NegligibleLogRatio = -40;

        readonly double[] _centres, _sigmas, _inverseSigmas, _weights;
        /// <summary>log(weight / (sigma sqrt(2 pi) Z)) per kernel, Z being the kernel's mass inside [0,1].</summary>
        readonly double[] _logScales;
        /// <summary>Scratch space for <see cref="LogDensity"/>, reused across the candidates of one proposal.</summary>
        readonly double[] _terms;

        public TruncatedGaussianMixture(List<double> observed, double priorWeight)
        {
            int n = observed.Count;
            _centres = new double[n + 1];
            _sigmas = new double[n + 1];
            _weights = new double[n + 1];
            var trialWeights = DefaultWeights(n);
            for (int i = 0; i < n; i++) { _centres[i] = observed[i]; _weights[i] = trialWeights[i]; }
            _centres[n] = PriorCentre;
            _weights[n] = n == 0 ? 1.0 : priorWeight;
            NeighbourSigmas(_centres, _sigmas);
            _sigmas[n] = PriorSigma;

            double total = _weights.Sum();
            _inverseSigmas = new double[n + 1];
            _logScales = new double[n + 1];
            _terms = new double[n + 1];
            for (int k = 0; k <= n; k++)
            {
                _weights[k] /= total;
                _inverseSigmas[k] = 1 / _sigmas[k];
                _logScales[k] = Math.Log(_weights[k]) + TruncatedNormal.LogScale(_centres[k], _sigmas[k]);
            }
        }

        /// <summary>Each observed kernel's sigma: the larger gap to its neighbours among all centres and the ends 0 and 1.</summary>
        static void NeighbourSigmas(double[] centres, double[] sigmas)
        {
            int count = centres.Length, observed = count - 1;
            if (observed == 0) return;
            var order = new int[count];
            for (int i = 0; i < count; i++) order[i] = i;
            var keys = (double[])centres.Clone();
            Array.Sort(keys, order);
            var withEnds = new double[count + 2];
            withEnds[0] = 0;
            withEnds[count + 1] = 1;
            keys.CopyTo(withEnds, 1);
            double minSigma = MinimumSigma(count);
            for (int rank = 0; rank < count; rank++)
            {
                double sigma = Math.Max(withEnds[rank + 1] - withEnds[rank], withEnds[rank + 2] - withEnds[rank + 1]);
                // The outermost kernels ignore the gap to the end of the range, which says nothing about the data.
                if (rank == 0) sigma = withEnds[2] - withEnds[1];
                if (rank == count - 1) sigma = withEnds[count] - withEnds[count - 1];
                sigmas[order[rank]] = Math.Clamp(sigma, minSigma, 1.0);
            }
        }

        public double Sample(Random random)
        {
            int k = Draw(_weights, random);
            return TruncatedNormal.Sample(random, _centres[k], _sigmas[k]);
        }

        public double LogDensity(double x)
        {
            var terms = _terms;
            double max = double.NegativeInfinity;
            for (int k = 0; k < terms.Length; k++)
            {
                double z = (x - _centres[k]) * _inverseSigmas[k];
                double term = _logScales[k] - 0.5 * z * z;
                terms[k] = term;
                if (term > max) max = term;
            }
            double sum = 0;
            for (int k = 0; k < terms.Length; k++)
                if (terms[k] - max > NegligibleLogRatio) sum += Math.Exp(terms[k] - max);
            return max + Math.Log(sum);
        }
    }
}
