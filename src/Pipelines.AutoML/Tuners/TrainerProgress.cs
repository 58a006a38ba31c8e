namespace Pipelines.AutoML.Tuners;

/// <summary>
/// One trainer's record in a portfolio search, and its estimated cost for improvement (ECI; Wang et al. 2019, as
/// FLAML's and ML.NET AutoML's trainer choice): the time its next improvement is expected to take, and, for a
/// trainer behind the best one, the time it needs to catch up at the rate it has improved so far.
/// </summary>
internal sealed class TrainerProgress
{
    /// <summary>Seconds spent in this trainer's finished trials.</summary>
    public double TotalCost { get; private set; }
    public int Results { get; private set; }
    public double BestLoss { get; private set; } = double.PositiveInfinity;
    double _firstLoss = double.PositiveInfinity, _costAtBest, _costAtPreviousBest;

    public double MeanCost => Results == 0 ? 0 : TotalCost / Results;

    public void Record(double loss, double seconds)
    {
        TotalCost += Math.Max(0, seconds);
        Results++;
        if (!double.IsFinite(loss)) return;
        if (!double.IsFinite(_firstLoss)) _firstLoss = loss;
        if (loss >= BestLoss) return;
        (_costAtPreviousBest, _costAtBest, BestLoss) = (_costAtBest, TotalCost, loss);
    }

    /// <summary>
    /// The estimated seconds until this trainer improves on <paramref name="globalBest"/> (its own best when it is the
    /// leader). <paramref name="untriedCost"/> stands in before any result: the expected cost of its first trial.
    /// </summary>
    public double CostForImprovement(double globalBest, double untriedCost)
    {
        if (Results == 0) return untriedCost;
        double floor = Math.Max(MeanCost, 1e-3);
        if (!double.IsFinite(BestLoss)) return 2 * TotalCost + untriedCost;
        // The time since its last improvement, or between its last two: whichever is longer.
        double next = Math.Max(floor, Math.Max(TotalCost - _costAtBest, _costAtBest - _costAtPreviousBest));
        if (BestLoss <= globalBest) return next;
        double gap = BestLoss - globalBest;
        double speed = (_firstLoss - BestLoss) / Math.Max(_costAtBest, 1e-3);
        // A trainer that has not improved since its first result has no speed to extrapolate: its cost then grows with
        // the time it has had and with how far behind it is, relative to the best loss.
        double catchUp = speed > 0 ? 2 * gap / speed : 2 * TotalCost * (1 + 10 * gap / Math.Max(Math.Abs(globalBest), 1e-9));
        return Math.Max(next, catchUp);
    }
}
