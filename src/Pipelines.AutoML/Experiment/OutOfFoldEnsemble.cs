namespace Pipelines.AutoML.Experiment;

/// <summary>
/// Greedy ensemble selection (<see cref="EnsembleSelection"/>) over the second look's out-of-fold outputs
/// (<see cref="OutOfFold"/>). The weights are chosen on all rows. The ensemble's own per-row scores come from weights
/// chosen on the other folds' rows, so each row is scored by weights that never saw it, as each candidate's
/// out-of-fold score is by a model that never saw it.
/// </summary>
internal static class OutOfFoldEnsemble
{
    /// <summary>
    /// The members (those of <paramref name="trialIds"/> given weight on all rows), their weights, the ensemble's per-row
    /// scores and, per fold, the weights of the trials (all of <paramref name="trialIds"/> that have outputs, in order)
    /// chosen on the other folds; null below two members.
    /// </summary>
    public static (IReadOnlyList<int> TrialIds, IReadOnlyList<double> Weights, double[] Scores, IReadOnlyList<int> Pool, IReadOnlyDictionary<int, double[]> FoldWeights)? Select(
        OutOfFold look, IReadOnlyList<int> trialIds)
    {
        var ids = trialIds.Where(look.Outputs.ContainsKey).ToList();
        if (ids.Count < 2) return null;
        var outputs = ids.Select(id => look.Outputs[id]).ToList();
        int rows = look.Labels.Length;
        var weights = Weights(look, outputs, Enumerable.Range(0, rows).ToArray());
        var members = Enumerable.Range(0, ids.Count).Where(i => weights[i] > 0).ToList();
        if (members.Count < 2) return null;

        var scores = new double[rows];
        var foldWeights = new Dictionary<int, double[]>();
        foreach (int fold in look.FoldOf.Distinct())
        {
            var fitted = foldWeights[fold] = Weights(look, outputs, Enumerable.Range(0, rows).Where(r => look.FoldOf[r] != fold).ToArray());
            for (int r = 0; r < rows; r++)
                if (look.FoldOf[r] == fold) scores[r] = look.Score(Average(outputs, fitted, r), look.Labels[r]);
        }
        return (members.Select(i => ids[i]).ToList(), members.Select(i => weights[i]).ToList(), scores, ids, foldWeights);
    }

    static double[] Weights(OutOfFold look, List<float[][]> outputs, int[] rows) =>
        EnsembleSelection.Select(outputs.Select(o => rows.Select(r => o[r]).ToArray()).ToList(), rows.Select(r => look.Labels[r]).ToList(), look.Task);

    static double[] Average(List<float[][]> outputs, double[] weights, int row)
    {
        var average = new double[outputs[0][row].Length];
        for (int m = 0; m < outputs.Count; m++)
            for (int j = 0; j < average.Length; j++) average[j] += weights[m] * outputs[m][row][j];
        return average;
    }
}
