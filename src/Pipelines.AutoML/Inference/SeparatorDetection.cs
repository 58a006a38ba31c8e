namespace Pipelines.AutoML.Inference;

/// <summary>Finds the field separator of a delimited file from its first lines.</summary>
internal static class SeparatorDetection
{
    /// <summary>The candidates, in the order that breaks ties: a ", " file splits evenly on both ',' and ' '.</summary>
    static readonly char[] Candidates = { ',', '\t', ';', '|', ' ' };

    /// <summary>
    /// The candidate whose most common field count (more than one field) is shared by the largest fraction of the
    /// lines; ties go to the earlier candidate. A file that no candidate splits is one column, read with ','.
    /// </summary>
    public static char Detect(IReadOnlyList<string> lines)
    {
        char best = ',';
        double bestConsistency = 0;
        foreach (var candidate in Candidates)
        {
            var counts = lines.Select(l => DelimitedLine.Split(l, candidate, out _).Length).ToList();
            var mode = counts.GroupBy(c => c).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).First();
            if (mode.Key < 2) continue;
            double consistency = (double)mode.Count() / counts.Count;
            if (consistency > bestConsistency)
            {
                best = candidate;
                bestConsistency = consistency;
            }
        }
        return best;
    }

    /// <summary>The field count most lines have: the column count of a file without a header.</summary>
    public static int ModeFieldCount(IEnumerable<string[]> rows) =>
        rows.GroupBy(r => r.Length).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).First().Key;

    public static string Describe(char separator) => separator switch
    {
        '\t' => "tab",
        ' ' => "space",
        _ => $"'{separator}'",
    };
}
