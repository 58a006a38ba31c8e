namespace Pipelines.AutoML.Pruners;

/// <summary>
/// Hyperband (Li et al. 2018), as Optuna's <c>HyperbandPruner</c>: several brackets of asynchronous successive halving
/// that differ in how early they stop trials. Bracket <c>b</c> is a <see cref="SuccessiveHalvingPruner"/> with
/// <c>minEarlyStoppingRate = b</c>, so its first rung is at epoch <c>minResource * reductionFactor^b</c>; each trial
/// belongs to one bracket and is compared only with the trials of its own bracket.
/// </summary>
/// <remarks>
/// <para>There are <c>floor(log_reductionFactor(maxResource / minResource)) + 1</c> brackets. As in Optuna, bracket
/// <c>b</c> gets a share of trials proportional to its budget <c>ceil(n * eta^s / (s + 1))</c> with <c>n</c> brackets,
/// <c>s = n - 1 - b</c> and <c>eta = reductionFactor</c>: the paper's number of configurations per bracket, so the
/// brackets that stop early get more trials than the ones that let trials run.</para>
/// <para>Optuna picks the bracket from a CRC32 hash of the study name and trial number. Here the bracket follows from
/// the trial id alone, by a smooth weighted round robin over one cycle of <c>sum of budgets</c> ids (the cycle nginx
/// uses for weighted servers): within every cycle each bracket gets exactly its budget, spread out rather than in
/// runs, and id <c>i</c> takes the cycle's slot <c>i mod cycle</c>. The same ids give the same brackets in every
/// process and after a resume, and any run of consecutive ids is close to the budget shares.</para>
/// <para>NaN and infinite values, running trials of other workers and rung membership follow
/// <see cref="SuccessiveHalvingPruner"/>, applied to the trials of the bracket only.</para>
/// </remarks>
public sealed class HyperbandPruner : IPruner
{
    const int MaxCycleLength = 1 << 20;

    readonly SuccessiveHalvingPruner[] _bracketPruners;
    readonly int[] _bracketBudgets;
    readonly int[] _bracketOfCycleSlot;

    /// <param name="maxResource">The most epochs a trial trains (Hyperband's R).</param>
    /// <param name="minResource">Epochs before the first rung of the most aggressive bracket (Hyperband's r).</param>
    /// <param name="reductionFactor">Only the best 1/reductionFactor go past each rung (eta).</param>
    public HyperbandPruner(int maxResource, int minResource = 1, int reductionFactor = 3)
    {
        if (minResource < 1) throw new ArgumentOutOfRangeException(nameof(minResource), minResource, "Must be at least 1.");
        if (maxResource < minResource) throw new ArgumentOutOfRangeException(nameof(maxResource), maxResource, $"Must be at least minResource ({minResource}).");
        if (reductionFactor < 2) throw new ArgumentOutOfRangeException(nameof(reductionFactor), reductionFactor, "Must be at least 2.");
        MinResource = minResource;
        MaxResource = maxResource;
        ReductionFactor = reductionFactor;

        // floor(log_eta(max / min)) + 1, counted in integers so that exact powers are not lost to rounding.
        int bracketCount = 1;
        for (long resource = (long)minResource * reductionFactor; resource <= maxResource; resource *= reductionFactor) bracketCount++;

        _bracketPruners = new SuccessiveHalvingPruner[bracketCount];
        _bracketBudgets = new int[bracketCount];
        for (int bracket = 0; bracket < bracketCount; bracket++)
        {
            _bracketPruners[bracket] = new SuccessiveHalvingPruner(minResource, reductionFactor, minEarlyStoppingRate: bracket);
            int s = bracketCount - 1 - bracket;
            _bracketBudgets[bracket] = (int)Math.Min(Math.Ceiling(bracketCount * Math.Pow(reductionFactor, s) / (s + 1)), int.MaxValue);
        }
        // The cycle holds one slot per unit of budget; epochs in the thousands need a few thousand slots.
        long cycleLength = _bracketBudgets.Sum(b => (long)b);
        if (cycleLength > MaxCycleLength)
            throw new ArgumentOutOfRangeException(nameof(maxResource), maxResource,
                $"maxResource / minResource = {maxResource / minResource} with reductionFactor {reductionFactor} needs {cycleLength} bracket slots; at most {MaxCycleLength} are supported.");
        _bracketOfCycleSlot = SmoothWeightedRoundRobin(_bracketBudgets);
    }

    public int MinResource { get; }
    public int MaxResource { get; }
    public int ReductionFactor { get; }
    public int BracketCount => _bracketPruners.Length;

    /// <summary>Each bracket's relative share of trials, indexed by bracket.</summary>
    public IReadOnlyList<int> BracketBudgets => _bracketBudgets;

    /// <summary>The bracket (0 = stops earliest) that the trial with this id belongs to.</summary>
    public int GetBracket(int trialId)
    {
        int cycle = _bracketOfCycleSlot.Length;
        return _bracketOfCycleSlot[((trialId % cycle) + cycle) % cycle];
    }

    /// <summary>The epoch of the first rung of a bracket: no trial of that bracket is pruned before it.</summary>
    public long GetFirstRungStep(int bracket)
    {
        if (bracket < 0 || bracket >= BracketCount) throw new ArgumentOutOfRangeException(nameof(bracket), bracket, $"There are {BracketCount} brackets.");
        return MinResource * (long)Math.Pow(ReductionFactor, bracket);
    }

    public bool ShouldPrune(TrialRecord trial, IReadOnlyList<TrialRecord> trials, OptimizationDirection direction)
    {
        int bracket = GetBracket(trial.Id);
        var bracketTrials = trials.Where(t => GetBracket(t.Id) == bracket).ToList();
        return _bracketPruners[bracket].ShouldPrune(trial, bracketTrials, direction);
    }

    /// <summary>
    /// One cycle of slots: at each slot every bracket gains its weight in credit and the one with the most credit (the
    /// lowest index on ties) takes the slot and pays the total weight back. Each bracket gets exactly its weight in
    /// slots, spread evenly.
    /// </summary>
    static int[] SmoothWeightedRoundRobin(int[] weights)
    {
        int totalWeight = weights.Sum();
        var credits = new long[weights.Length];
        var slots = new int[totalWeight];
        for (int slot = 0; slot < totalWeight; slot++)
        {
            int chosen = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                credits[i] += weights[i];
                if (credits[i] > credits[chosen]) chosen = i;
            }
            credits[chosen] -= totalWeight;
            slots[slot] = chosen;
        }
        return slots;
    }
}
