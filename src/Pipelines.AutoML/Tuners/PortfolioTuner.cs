namespace Pipelines.AutoML.Tuners;

/// <summary>
/// One trainer of a portfolio search: its option name in the one_of space, the point its first trial runs (its
/// defaults), its cost relative to the others before anything is measured, and the integer parameter its cost
/// grows with (trees, iterations, epochs), if any.
/// </summary>
public sealed record PortfolioTrainer(string Name, Parameter FirstPoint, double RelativeCost, string? FidelityParameter = null);

/// <summary>
/// Chooses the trainer of each trial, then lets that trainer's own tuner (TPE, CFO, random, grid) choose within the
/// trainer's space, as FLAML and ML.NET AutoML do:
/// <list type="bullet">
/// <item>Defaults first: every trainer's first trial is its <see cref="PortfolioTrainer.FirstPoint"/>, cheapest trainer
/// first, so the search never ends below a trainer's defaults.</item>
/// <item>Then a trainer is drawn with probability proportional to 1 / its estimated cost for improvement
/// (<see cref="TrainerProgress"/>): a trainer that is slow and behind gets fewer trials, and every trainer keeps a chance.</item>
/// <item>Under a time budget, a trainer whose trials are expected to take longer than what is left is passed over, and a
/// proposal is cut to the trees, iterations or epochs that fit (measured seconds per unit of its fidelity parameter).</item>
/// </list>
/// Proposals depend only on the seed and the sequence of calls.
/// </summary>
public sealed class PortfolioTuner : IBudgetAwareTuner
{
    /// <summary>A trial is cut to fit this share of the seconds left, keeping a margin for its evaluation.</summary>
    const double BudgetShare = 0.9;

    readonly List<Arm> _arms;
    readonly Random _random;

    public PortfolioTuner(OneOfSpace space, int seed, IReadOnlyList<PortfolioTrainer> trainers, Func<SearchSpace, int, ITuner> tunerFor)
    {
        ArgumentNullException.ThrowIfNull(space);
        _random = new Random(seed);
        _arms = trainers.Select((t, i) => new Arm(t, (NestedSpace)space[t.Name], tunerFor(space[t.Name], unchecked(seed * 31 + i + 1)))).ToList();
        if (_arms.Count == 0) throw new ArgumentException("A portfolio needs at least one trainer.", nameof(trainers));
    }

    public Parameter Propose(TrialSettings settings)
    {
        var arm = Choose(settings.SecondsLeft);
        var inner = arm.Started == 0 ? arm.Trainer.FirstPoint : arm.Tuner.Propose(settings);
        arm.Started++;
        inner = CutToBudget(arm, inner, settings.SecondsLeft);
        return Parameter.FromJson($$"""{"{{OneOfSpace.OptionKey}}":"{{arm.Trainer.Name}}"}""").With(OneOfSpace.ParametersKey, inner);
    }

    public void Update(TrialResult result)
    {
        if (!result.Parameter.ContainsKey(OneOfSpace.OptionKey)) return;
        var arm = _arms.Find(a => a.Trainer.Name == result.Parameter[OneOfSpace.OptionKey].AsString());
        // A trial of a trainer this search does not have (an earlier run's) teaches nothing here.
        if (arm == null) return;
        arm.Started = Math.Max(arm.Started, 1);
        var inner = result.Parameter.ContainsKey(OneOfSpace.ParametersKey) ? result.Parameter[OneOfSpace.ParametersKey] : Parameter.CreateObject();
        arm.Tuner.Update(result with { Parameter = inner });
        arm.Progress.Record(result.Loss, result.DurationSeconds);
        if (result.Status == TrialStatus.Completed && arm.FidelityOf(inner) is { } units && units > 0)
            arm.SecondsPerUnit.Add(result.DurationSeconds / units);
    }

    public bool CanFit(double secondsLeft) => _arms.Any(a => MinimumCost(a) <= secondsLeft);

    /// <summary>The trainer of the next trial: an untried one (cheapest first), else one drawn by 1 / ECI among those that fit.</summary>
    Arm Choose(double? secondsLeft)
    {
        var fitting = _arms.Where(a => secondsLeft is not { } left || MinimumCost(a) <= left).ToList();
        if (fitting.Count == 0) fitting = _arms.OrderBy(MinimumCost).Take(1).ToList();
        var untried = fitting.Where(a => a.Started == 0).OrderBy(a => a.Trainer.RelativeCost).FirstOrDefault();
        if (untried != null) return untried;

        double globalBest = _arms.Min(a => a.Progress.BestLoss);
        var weights = fitting.Select(a => 1 / Math.Max(a.Progress.CostForImprovement(globalBest, ExpectedCost(a)), 1e-6)).ToList();
        double draw = _random.NextDouble() * weights.Sum();
        for (int i = 0; i < fitting.Count; i++)
            if ((draw -= weights[i]) <= 0) return fitting[i];
        return fitting[^1];
    }

    /// <summary>
    /// A trainer's expected trial cost: its mean so far, else its relative cost at the slowest rate per unit of relative
    /// cost measured so far. Relative costs are guesses that data can upset (a one-versus-all FastTree default took 70 s
    /// on the Fashion-MNIST table where an average of the tried trainers' rates predicted 25), and an untried trainer
    /// predicted too cheap is started and runs to the end of the search's time.
    /// </summary>
    double ExpectedCost(Arm arm)
    {
        if (arm.Progress.Results > 0) return arm.Progress.MeanCost;
        var tried = _arms.Where(a => a.Progress.Results > 0).ToList();
        if (tried.Count == 0) return 0;
        return arm.Trainer.RelativeCost * tried.Max(a => a.Progress.MeanCost / a.Trainer.RelativeCost);
    }

    /// <summary>The cheapest trial the trainer could run: its fidelity's lower bound when its rate is known, else its expected cost.</summary>
    double MinimumCost(Arm arm) => arm.Rate is { } rate && arm.FidelityRange is { } range ? rate * range.Min : ExpectedCost(arm);

    Parameter CutToBudget(Arm arm, Parameter inner, double? secondsLeft)
    {
        if (secondsLeft is not { } left || arm.Rate is not { } rate || arm.FidelityRange is not { } range || arm.FidelityOf(inner) is not { } units) return inner;
        if (rate * units <= BudgetShare * left) return inner;
        int fitting = (int)Math.Clamp(Math.Floor(BudgetShare * left / rate), range.Min, units);
        return inner.With(arm.Trainer.FidelityParameter!, Parameter.FromInt(fitting));
    }

    sealed class Arm(PortfolioTrainer trainer, NestedSpace space, ITuner tuner)
    {
        public PortfolioTrainer Trainer { get; } = trainer;
        public ITuner Tuner { get; } = tuner;
        public TrainerProgress Progress { get; } = new();
        public List<double> SecondsPerUnit { get; } = new();
        public int Started { get; set; }

        public NumericSpace? FidelityRange { get; } =
            trainer.FidelityParameter is { } key && space.Contains(key) ? space[key] as NumericSpace : null;

        /// <summary>Measured seconds per unit of fidelity: the median over completed trials, once there is one.</summary>
        public double? Rate => SecondsPerUnit.Count == 0 ? null : SecondsPerUnit.Order().ElementAt(SecondsPerUnit.Count / 2);

        /// <summary>The fidelity a point asks for: its own value, else the range's default (a trainer's own default, for the empty point).</summary>
        public double? FidelityOf(Parameter inner) => Trainer.FidelityParameter is { } key && inner.ContainsKey(key)
            ? inner[key].AsDouble()
            : FidelityRange?.DefaultValue;
    }
}
