using System.Text;

namespace Pipelines.AutoML.Inference;

/// <summary>Column names: the file's own, made unique, and finding the one a user typed.</summary>
internal static class ColumnNames
{
    /// <summary>Names from the header (an empty field becomes colN), or col0, col1, ... without a header, as mlnet names them.</summary>
    public static string[] Original(string[]? header, int columnCount) =>
        Enumerable.Range(0, columnCount)
            .Select(i => header is not null && i < header.Length && header[i].Length > 0 ? header[i] : $"col{i}")
            .ToArray();

    /// <summary>
    /// The ML.NET column names: the header's own ("x.box", "label(IsOver50K)", "größe"), as mlnet keeps them, so a model
    /// takes the file's columns by the names the file gives them. ML.NET accepts any name; only a repeated one must
    /// change (the second "a" becomes "a_2"). The label keeps its name.
    /// </summary>
    public static string[] Unique(IReadOnlyList<string> originals, int labelIndex)
    {
        var names = new string[originals.Count];
        names[labelIndex] = originals[labelIndex];
        var used = new HashSet<string>(StringComparer.Ordinal) { names[labelIndex] };
        for (int i = 0; i < originals.Count; i++)
            if (i != labelIndex) names[i] = Unique(originals[i], used);
        return names;
    }

    /// <summary>Letters, digits and '_' only: what a user may type for a name with other characters ("label_IsOver50K").</summary>
    static string Clean(string original, int index)
    {
        var builder = new StringBuilder(original.Length);
        foreach (var ch in original)
        {
            bool keep = char.IsLetterOrDigit(ch) || ch == '_';
            if (keep) builder.Append(ch);
            else if (builder.Length > 0 && builder[^1] != '_') builder.Append('_');
        }
        var name = builder.ToString().Trim('_');
        return name.Length > 0 ? name : $"col{index}";
    }

    public static string Unique(string name, ISet<string> used)
    {
        var candidate = name;
        for (int n = 2; !used.Add(candidate); n++) candidate = $"{name}_{n}";
        return candidate;
    }

    /// <summary>
    /// The index of the column the user named: exact original name, then exact sanitized name, then either one
    /// ignoring case. -1 when none matches.
    /// </summary>
    public static int Find(string requested, IReadOnlyList<string> originals)
    {
        var sanitized = originals.Select(Clean).ToArray();
        var comparisons = new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase };
        foreach (var comparison in comparisons)
            foreach (var names in new[] { originals, sanitized })
                for (int i = 0; i < names.Count; i++)
                    if (string.Equals(names[i], requested, comparison)) return i;
        return -1;
    }

    /// <summary>The name closest to <paramref name="requested"/> (case-insensitive edit distance with transpositions), if it is close enough to be a typo.</summary>
    public static string? Closest(string requested, IEnumerable<string> names)
    {
        var best = names
            .Select(n => (Name: n, Distance: EditDistance(requested.ToLowerInvariant(), n.ToLowerInvariant())))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        if (best.Name is null) return null;
        int tolerance = Math.Max(2, requested.Length / 3);
        return best.Distance <= tolerance ? best.Name : null;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours ("lable" -> "label" is 1).</summary>
    public static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
