using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;

namespace Pipelines.AutoML.Tests.Pruners;

/// <summary>A synthetic learning curve v(t) = a - b exp(-t / c): it rises towards a, so the higher a, the better the trial.</summary>
sealed record LearningCurve(double A, double B, double C)
{
    public double At(int epoch) => A - B * Math.Exp(-epoch / C);
}

/// <summary>
/// An asynchronous study replayed through a pruner: a few workers each run one trial at a time, and at every tick a
/// random worker trains its trial for one more epoch, reports the value (curve plus noise) and asks the pruner, as the
/// experiment loop does. A stopped worker takes the next trial at once, so trials start and reach rungs out of order.
/// </summary>
static class SimulatedStudy
{
    public sealed record Outcome(IReadOnlyList<LearningCurve> Curves, IReadOnlyList<TrialRecord> Trials, int MaxEpochs)
    {
        public int EpochsTrained => Trials.Sum(t => t.IntermediateValues.Count);
        public int EpochsWithoutPruning => Curves.Count * MaxEpochs;
        /// <summary>Trial ids from the highest a (best) to the lowest.</summary>
        public IReadOnlyList<int> IdsBestFirst => Enumerable.Range(0, Curves.Count).OrderByDescending(i => Curves[i].A).ToList();
        public int EpochsOf(int id) => Trials[id].IntermediateValues.Count;
        public TrialRecord BestCompleted => Trials.Where(t => t.Status == TrialStatus.Completed).MaxBy(t => t.IntermediateValues[^1].Value)!;
    }

    /// <summary>
    /// Curves of one shape (b = 0.3, c = 3 epochs) whose ends a are spread evenly over [0.60, 0.95] and dealt out in
    /// random order: 0.007 apart, so that "the best trial" means one thing at this noise. Curves of different shapes
    /// cross, and then no pruner can tell the final winner from early epochs.
    /// </summary>
    static IReadOnlyList<LearningCurve> RandomCurves(int count, Random random) => Enumerable.Range(0, count)
        .OrderBy(_ => random.Next())
        .Select(rank => new LearningCurve(A: 0.60 + 0.35 * rank / (count - 1), B: 0.3, C: 3))
        .ToList();

    public static Outcome Run(IPruner pruner, int seed, int trialCount = 50, int maxEpochs = 27, int workers = 4, double noise = 0.001)
    {
        var random = new Random(seed);
        var curves = RandomCurves(trialCount, random);
        var trials = new List<TrialRecord>();
        var running = new List<int>();
        while (trials.Count < trialCount || running.Count > 0)
        {
            while (running.Count < workers && trials.Count < trialCount)
            {
                running.Add(trials.Count);
                trials.Add(new TrialRecord { Id = trials.Count, Parameters = Parameter.CreateObject() });
            }

            int id = running[random.Next(running.Count)];
            var trial = trials[id];
            int epoch = trial.IntermediateValues.Count + 1;
            double value = curves[id].At(epoch) + noise * Gaussian(random);
            trial = trial with { IntermediateValues = trial.IntermediateValues.Append(new IntermediateValue(epoch, value)).ToArray() };
            trials[id] = trial;

            // After the last epoch there is nothing left to save, so the trial completes without asking the pruner.
            if (epoch == maxEpochs) trials[id] = trial with { Status = TrialStatus.Completed };
            else if (pruner.ShouldPrune(trial, trials, OptimizationDirection.Maximize)) trials[id] = trial with { Status = TrialStatus.Pruned };
            if (trials[id].IsFinished) running.Remove(id);
        }
        return new Outcome(curves, trials, maxEpochs);
    }

    static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
