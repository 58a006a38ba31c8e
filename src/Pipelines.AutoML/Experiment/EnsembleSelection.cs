
namespace Pipelines.AutoML.Experiment;

/// <summary>
/// Greedy ensemble selection with replacement (Caruana, Niculescu-Mizil, Crew and Ksikes, ICML 2004), as
/// auto-sklearn and AutoGluon use it: start from the empty ensemble, and each round add the model (again, if it is
/// best) whose addition gives the lowest loss of the averaged predictions; weights are how often each was added.
/// The loss is the log-loss of the true class for classification and the squared error for regression.
/// </summary>
internal static class EnsembleSelection
{
    public const int Rounds = 25;

    /// <param name="predictions">Per model, per row, its outputs (one probability for binary, one per class for multiclass, the score for regression).</param>
    /// <param name="labels">Per row: 0 or 1 for binary, the class index for multiclass, the value for regression.</param>
    /// <param name="task">What the outputs are.</param>
    /// <param name="rounds">Greedy rounds; a model chosen in several rounds weighs more.</param>
    /// <returns>One weight per model, summing to 1.</returns>
    public static double[] Select(IReadOnlyList<float[][]> predictions, IReadOnlyList<float> labels, PredictionKind task, int rounds = Rounds)
    {
        int models = predictions.Count, rows = labels.Count, width = predictions[0][0].Length;
        var sum = new double[rows, width];
        var counts = new int[models];
        for (int round = 1; round <= rounds; round++)
        {
            int best = 0;
            double bestLoss = double.PositiveInfinity;
            for (int m = 0; m < models; m++)
            {
                double loss = Loss(sum, predictions[m], round, labels, task);
                if (loss < bestLoss) (best, bestLoss) = (m, loss);
            }
            counts[best]++;
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < width; j++) sum[r, j] += predictions[best][r][j];
        }
        return counts.Select(c => (double)c / rounds).ToArray();
    }

    /// <summary>The mean loss over the rows of (<paramref name="sum"/> + <paramref name="added"/>) / <paramref name="members"/>.</summary>
    static double Loss(double[,] sum, float[][] added, int members, IReadOnlyList<float> labels, PredictionKind task)
    {
        double total = 0;
        for (int r = 0; r < labels.Count; r++)
        {
            double Average(int j) => (sum[r, j] + added[r][j]) / members;
            total += task switch
            {
                PredictionKind.BinaryClassification => -Math.Log(Math.Clamp(labels[r] > 0.5f ? Average(0) : 1 - Average(0), 1e-12, 1)),
                PredictionKind.MulticlassClassification => -Math.Log(Math.Clamp(Average((int)labels[r]), 1e-12, 1)),
                _ => Math.Pow(Average(0) - labels[r], 2),
            };
        }
        return total / labels.Count;
    }
}
