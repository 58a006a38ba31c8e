namespace Pipelines.AutoML.Tuners;

/// <summary>
/// Cost-Frugal Optimization (FLAML's CFO: Wu, Wang, Huang, "Frugal Optimization for Cost-related
/// Hyperparameters", AAAI 2021): the randomized direct search FLOW2 with adaptive step size and random restarts,
/// on the unit cube.
/// <list type="bullet">
/// <item>Start: the space's default point, which should be the cheap one (few trees, few epochs, small models).
/// Starting cheap and moving only locally is what keeps the total cost low: expensive regions are reached only
/// when the loss keeps improving on the way there, never by a blind jump.</item>
/// <item>Moves: from the incumbent x with step size s, propose x + s u for a random unit direction u, then
/// x - s u; the first proposal that beats the incumbent's loss becomes the incumbent (and its step size is kept,
/// enlarged back by the last reduction). Equal losses go to the cheaper trial (<see cref="TrialResult.DurationSeconds"/>).</item>
/// <item>Step size: starts at 0.1 sqrt(d) and is at most sqrt(d); after 2^min(9, d) proposals from one incumbent
/// without improvement it shrinks by sqrt(k_old / k) (k counts proposals), as FLOW2 does. While only the first
/// step is in use, a step too small to change any discrete value grows by 0.1.</item>
/// <item>Restart: when the step falls below its lower bound (the finest integer resolution of the space, or
/// 1e-4, times sqrt(d)) the search restarts from a random point near the default: each ordered coordinate of the
/// default plus Gaussian noise (sigma 1, clipped), each choice drawn uniformly, like FLAML's restart from a
/// perturbed low-cost configuration. Results of trials proposed before a restart are then ignored.</item>
/// <item>Parallel trials: every Propose gives the next direction trial (+u, then -u, then a new u), whether or not
/// earlier ones finished; a result counts against the incumbent it was proposed from, as in FLOW2.</item>
/// </list>
/// Left out compared with FLAML: BlendSearch's global search threads and the choice between threads by cost,
/// the resource dimension (growing a sample size or epochs), FLOW2's special handling of unordered choices (here
/// a choice moves between neighbouring equal bins of its coordinate), and lexicographic objectives. Results of
/// trials this tuner did not propose (a resumed study's, another worker's) count as points it could have proposed.
/// Failed trials (infinite loss) never become the incumbent.
/// </summary>
public sealed class CfoTuner : ITuner
{
    const double InitialStepFraction = 0.1;
    const double DefaultStepLowerBound = 1e-4;

    readonly SearchSpace _space;
    readonly IReadOnlyList<CubeDimension> _dimensions;
    readonly Random _random;
    readonly double[] _defaultPoint;
    readonly int _dimension;
    readonly double _maxStep;
    readonly int _proposalsBeforeShrinking;
    readonly Dictionary<int, Proposal> _pending = new();

    double[] _incumbent;
    Parameter _incumbentParameter;
    double _incumbentLoss = double.PositiveInfinity;
    double _incumbentCost = double.PositiveInfinity;
    double _step;
    double[]? _lastDirection;
    bool _startProposed;
    bool _initialPhase = true;
    bool _lastMoveWasNoChange;
    int _restarts;
    int _proposalCount;
    int _completedCount;
    int _proposalsFromIncumbent;
    int _completedAtLastImprovement = 1;
    int _stepShrinkCount, _previousStepShrinkCount;

    public CfoTuner(SearchSpace space, int seed = 0)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        _dimensions = UnitCube.Describe(space);
        _random = new Random(seed);
        _dimension = space.FeatureSpaceDimension;
        _maxStep = Math.Sqrt(Math.Max(1, _dimension));
        _proposalsBeforeShrinking = 1 << Math.Min(9, Math.Max(1, _dimension));
        _defaultPoint = space.MappingToFeatureSpace(space.Default);
        _incumbent = (double[])_defaultPoint.Clone();
        // The start is the default itself, not its image on the cube, so its values are exactly the trainer's defaults.
        _incumbentParameter = space.Default;
        _step = InitialStep();
    }

    /// <summary>The current step size (for monitoring).</summary>
    public double StepSize => _step;

    /// <summary>How many times the search restarted after its step fell below the lower bound.</summary>
    public int Restarts => _restarts;

    public Parameter Propose(TrialSettings settings)
    {
        _proposalCount++;
        if (!_startProposed)
        {
            // A new search first evaluates its start point.
            _startProposed = true;
            _pending[settings.TrialId] = new Proposal((double[])_incumbent.Clone(), _step, _restarts);
            return _incumbentParameter;
        }
        var point = NextDirectionTrial();
        var parameter = _space.SampleFromFeatureSpace(point);
        _pending[settings.TrialId] = new Proposal(point, _step, _restarts);
        _proposalsFromIncumbent++;
        if (_initialPhase) GrowStepIfTooSmallToMove(parameter);
        if (_proposalsFromIncumbent >= _proposalsBeforeShrinking) ShrinkStep();
        return parameter;
    }

    public void Update(TrialResult result)
    {
        // A trial this tuner did not propose (an earlier run of a resumed study, another worker's) is a point like any
        // other: it becomes the incumbent if it is better, and the search moves on from there with the current step.
        if (!_pending.Remove(result.TrialId, out var proposal))
            proposal = new Proposal(_space.MappingToFeatureSpace(result.Parameter), _step, _restarts);
        else if (proposal.Restart != _restarts) return;
        _completedCount++;
        double loss = UnitCube.SanitizeLoss(result.Loss);
        if (double.IsPositiveInfinity(loss)) return;
        bool better = loss < _incumbentLoss || (loss == _incumbentLoss && result.DurationSeconds < _incumbentCost);
        if (!better) return;

        _incumbent = proposal.Point;
        _incumbentParameter = _space.SampleFromFeatureSpace(_incumbent);
        // The incumbent has been evaluated: the next proposal moves away from it.
        _startProposed = true;
        _incumbentLoss = loss;
        _incumbentCost = result.DurationSeconds;
        // Continue with the step that found the improvement, undoing the last reduction (FLOW2).
        _step = proposal.Step;
        if (_stepShrinkCount > 0) _step *= Math.Sqrt((double)_stepShrinkCount / _previousStepShrinkCount);
        _step = Math.Min(_step, _maxStep);
        _proposalsFromIncumbent = 0;
        _completedAtLastImprovement = _completedCount;
        _lastDirection = null;
    }

    double[] NextDirectionTrial()
    {
        var point = (double[])_incumbent.Clone();
        if (_lastDirection is { } tried)
        {
            for (int i = 0; i < _dimension; i++) point[i] -= tried[i];
            _lastDirection = null;
        }
        else
        {
            var direction = RandomUnitVector();
            for (int i = 0; i < _dimension; i++)
            {
                direction[i] *= _step;
                point[i] += direction[i];
            }
            _lastDirection = direction;
        }
        UnitCube.Clip(point);
        return point;
    }

    double[] RandomUnitVector()
    {
        var vector = new double[_dimension];
        double norm = 0;
        while (norm == 0)
        {
            for (int i = 0; i < _dimension; i++) vector[i] = UnitCube.NextGaussian(_random);
            norm = Math.Sqrt(vector.Sum(v => v * v));
        }
        for (int i = 0; i < _dimension; i++) vector[i] /= norm;
        return vector;
    }

    /// <summary>With discrete coordinates a small step may land on the incumbent's own values; if both +u and -u do, grow the step.</summary>
    void GrowStepIfTooSmallToMove(Parameter proposed)
    {
        bool noChange = proposed.Equals(_incumbentParameter);
        if (_lastDirection is null && _lastMoveWasNoChange && noChange) _step = Math.Min(_step + InitialStepFraction, _maxStep);
        _lastMoveWasNoChange = noChange;
    }

    void ShrinkStep()
    {
        _proposalsFromIncumbent -= 2;
        _initialPhase = false;
        _previousStepShrinkCount = _stepShrinkCount > 0 ? _stepShrinkCount : _completedAtLastImprovement;
        _stepShrinkCount = _proposalCount + 1;
        _step *= Math.Sqrt((double)_previousStepShrinkCount / _stepShrinkCount);
        if (_step < StepLowerBound()) Restart();
    }

    void Restart()
    {
        _restarts++;
        var start = (double[])_defaultPoint.Clone();
        foreach (var dimension in _dimensions)
            start[dimension.Index] = dimension.IsCategorical
                ? _random.NextDouble()
                : start[dimension.Index] + UnitCube.NextGaussian(_random);
        UnitCube.Clip(start);
        _incumbent = start;
        _incumbentParameter = _space.SampleFromFeatureSpace(start);
        _incumbentLoss = _incumbentCost = double.PositiveInfinity;
        _step = InitialStep();
        _lastDirection = null;
        _startProposed = false;
        _initialPhase = true;
        _lastMoveWasNoChange = false;
        _proposalsFromIncumbent = 0;
        _completedAtLastImprovement = Math.Max(1, _completedCount);
        _stepShrinkCount = _previousStepShrinkCount = 0;
    }

    double InitialStep()
    {
        double step = InitialStepFraction * _maxStep, lowerBound = StepLowerBound();
        if (lowerBound > step) step = 2 * lowerBound;
        return Math.Min(step, _maxStep);
    }

    /// <summary>
    /// Below this the search cannot move any integer coordinate by one value: the finest resolution among integer
    /// coordinates (for log-scale integers, one unit at the incumbent's value), times sqrt(d); 1e-4 when all are continuous.
    /// </summary>
    double StepLowerBound()
    {
        double bound = double.PositiveInfinity;
        foreach (var dimension in _dimensions)
        {
            if (dimension.IsCategorical || dimension.Range is not { } range) continue;
            // A coordinate with a single value cannot move at all, so it sets no resolution.
            if (range.Type != NumericType.Int || range.Max <= range.Min || (range.PowerOfTwo && dimension.Levels < 2)) continue;
            if (range.LogBase && !range.PowerOfTwo)
            {
                double value = range.ValueAt(_incumbent[dimension.Index]);
                bound = Math.Min(bound, Math.Log(1 + 1 / value) / Math.Log(range.Max / range.Min));
            }
            else
            {
                double values = range.PowerOfTwo ? dimension.Levels : range.Max - range.Min + 1;
                bound = Math.Min(bound, 1.0 / values);
            }
        }
        return double.IsPositiveInfinity(bound) ? DefaultStepLowerBound : bound * _maxStep;
    }

    sealed record Proposal(double[] Point, double Step, int Restart);
}
