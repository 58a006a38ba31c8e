using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Pipelines.Reports.Analysis;

/// <summary>
/// Model-based importance in the spirit of Optuna's fANOVA evaluator, which also fits a random forest from the
/// parameters to the objective: ML.NET's FastForest regression learns the response surface, then permutation
/// feature importance measures, per parameter, how much the forest's mean squared error grows when that
/// parameter's column is shuffled (breaking its link to the objective while keeping its distribution). The
/// increases, clipped at 0, are the raw importances.
/// </summary>
internal static class ForestImportance
{
    /// <summary>Raw importances per column (increase in MSE on the standardized objective), or null if the forest fails.</summary>
    public static double[]? Compute(ParameterMatrix matrix, IReadOnlyList<double> objective, int seed)
    {
        int n = objective.Count, d = matrix.Count;
        double mean = objective.Average();
        double sd = Math.Sqrt(objective.Sum(v => (v - mean) * (v - mean)) / n);
        if (!(sd > 0)) return new double[d];
        // Standardized, so the float precision of ML.NET's label does not flatten differences like 0.812 vs 0.814.
        var rows = Enumerable.Range(0, n).Select(i => new ForestRow
        {
            Label = (float)((objective[i] - mean) / sd),
            Features = Enumerable.Range(0, d).Select(j => (float)matrix.Columns[j][i]).ToArray(),
        }).ToList();

        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(ForestRow));
        schema[nameof(ForestRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
        {
            NumberOfTrees = 200,
            // Studies are small: the defaults (20 leaves, 10 examples per leaf) would not split at all.
            NumberOfLeaves = Math.Clamp(n / 2, 2, 16),
            MinimumExampleCountPerLeaf = Math.Max(1, n / 16),
            FeatureFraction = 1,
            NumberOfThreads = 1,
        });
        try
        {
            var model = trainer.Fit(data);
            var statistics = ml.Regression.PermutationFeatureImportance(model, data, permutationCount: 20);
            return statistics.Select(s => Math.Max(0, s.MeanSquaredError.Mean)).ToArray();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
