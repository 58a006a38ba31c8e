namespace Pipelines.Reports.Analysis;

/// <summary>
/// The trials' parameters as numeric columns, one per parameter that varies: numbers as they are (trees split on
/// order, so a log-scaled parameter needs no transform), anything else (strings, booleans, or a parameter missing
/// from some trials) as the index of its sorted distinct text.
/// </summary>
internal sealed class ParameterMatrix
{
    public required IReadOnlyList<string> Names { get; init; }
    /// <summary>Columns[j][i]: parameter j of trial i.</summary>
    public required IReadOnlyList<double[]> Columns { get; init; }
    public required IReadOnlyList<bool> IsCategorical { get; init; }

    public int Count => Columns.Count;

    public static ParameterMatrix Build(IReadOnlyList<TrialFacts> trials)
    {
        var leaves = trials.Select(t => ParameterValues.Flatten(t.TrainerParameters).ToDictionary(v => v.Name)).ToList();
        var names = leaves.SelectMany(l => l.Keys).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        var kept = new List<string>();
        var columns = new List<double[]>();
        var categorical = new List<bool>();
        foreach (var name in names)
        {
            var values = leaves.Select(l => l.TryGetValue(name, out var v) ? v : null).ToList();
            bool numeric = values.All(v => v?.Number is { } x && double.IsFinite(x));
            double[] column;
            if (numeric)
                column = values.Select(v => v!.Number!.Value).ToArray();
            else
            {
                var texts = values.Select(v => v?.Text ?? "(missing)").ToList();
                var codes = texts.Distinct().OrderBy(s => s, StringComparer.Ordinal).Select((s, i) => (s, i)).ToDictionary(p => p.s, p => (double)p.i);
                column = texts.Select(s => codes[s]).ToArray();
            }
            // A parameter that never changed explains nothing and would only add a zero bar.
            if (column.Distinct().Count() < 2) continue;
            kept.Add(name);
            columns.Add(column);
            categorical.Add(!numeric);
        }
        return new ParameterMatrix { Names = kept, Columns = columns, IsCategorical = categorical };
    }
}
