namespace Pipelines.AutoML.Inference;

/// <summary>What the sampled values of one column look like; the role and task rules decide from this alone.</summary>
internal sealed class ColumnProfile
{
    public int RowCount { get; private init; }
    /// <summary>The decimal marker numbers were read with.</summary>
    public char DecimalMarker { get; private init; }
    public int MissingCount { get; private init; }
    public int PresentCount => RowCount - MissingCount;

    /// <summary>How often each present value occurs, keyed as written.</summary>
    public required Dictionary<string, int> ValueCounts { get; init; }
    /// <summary>Distinct present values as numbers (so "1" and "1.0" are one value); empty unless <see cref="IsNumeric"/>.</summary>
    public required HashSet<double> DistinctNumbers { get; init; }
    /// <summary>The missing-value spellings seen, as written ("?", "NA", ...).</summary>
    public required HashSet<string> MissingSpellings { get; init; }

    /// <summary>Every present value is a number (and at least one is present).</summary>
    public bool IsNumeric { get; private init; }
    /// <summary>Every present value is a whole number.</summary>
    public bool IsInteger { get; private init; }
    /// <summary>Every present value is a spelling ML.NET loads as Boolean.</summary>
    public bool IsBoolean { get; private init; }
    /// <summary>The numbers strictly increase, or strictly decrease, in file order (row numbers, sorted keys).</summary>
    public bool IsStrictlyMonotonic { get; private init; }
    /// <summary>The smallest and largest number; NaN unless <see cref="IsNumeric"/>.</summary>
    public double Min { get; private init; }
    public double Max { get; private init; }
    public double AverageWordCount { get; private init; }
    public double AverageLength { get; private init; }
    /// <summary>The first present value that is not a number, and its line, for error messages.</summary>
    public (string Value, long LineNumber)? FirstNonNumeric { get; private init; }
    public int NonNumericCount { get; private init; }

    /// <summary>Distinct present values: numbers compared as numbers when the column is numeric.</summary>
    public int Cardinality => IsNumeric ? DistinctNumbers.Count : ValueCounts.Count;

    public static ColumnProfile Build(IReadOnlyList<SampledRow> rows, int column, char decimalMarker)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var numbers = new HashSet<double>();
        var missingSpellings = new HashSet<string>(StringComparer.Ordinal);
        int missing = 0, nonNumeric = 0;
        bool integer = true, boolean = true, increasing = true, decreasing = true;
        double min = double.PositiveInfinity, max = double.NegativeInfinity, previous = double.NaN;
        long words = 0, length = 0;
        (string, long)? firstNonNumeric = null;

        foreach (var row in rows)
        {
            var value = row.Fields[column];
            if (CellValues.IsMissing(value))
            {
                missing++;
                missingSpellings.Add(value);
                continue;
            }
            counts[value] = counts.GetValueOrDefault(value) + 1;
            length += value.Length;
            words += CountWords(value);
            boolean = boolean && CellValues.TryParseBoolean(value, out _);

            if (CellValues.TryParseNumber(value, decimalMarker, out double number))
            {
                numbers.Add(number);
                integer &= number == Math.Floor(number);
                min = Math.Min(min, number);
                max = Math.Max(max, number);
                if (!double.IsNaN(previous))
                {
                    increasing &= number > previous;
                    decreasing &= number < previous;
                }
                previous = number;
            }
            else
            {
                nonNumeric++;
                firstNonNumeric ??= (value, row.LineNumber);
            }
        }

        int present = rows.Count - missing;
        bool numeric = present > 0 && nonNumeric == 0;
        return new ColumnProfile
        {
            RowCount = rows.Count,
            DecimalMarker = decimalMarker,
            MissingCount = missing,
            ValueCounts = counts,
            DistinctNumbers = numeric ? numbers : new HashSet<double>(),
            MissingSpellings = missingSpellings,
            IsNumeric = numeric,
            IsInteger = numeric && integer,
            IsBoolean = present > 0 && boolean,
            IsStrictlyMonotonic = numeric && present > 1 && (increasing || decreasing),
            Min = numeric ? min : double.NaN,
            Max = numeric ? max : double.NaN,
            AverageWordCount = present == 0 ? 0 : (double)words / present,
            AverageLength = present == 0 ? 0 : (double)length / present,
            FirstNonNumeric = firstNonNumeric,
            NonNumericCount = nonNumeric,
        };
    }

    static int CountWords(string value)
    {
        int count = 0;
        bool inWord = false;
        foreach (var ch in value)
        {
            bool partOfWord = !char.IsWhiteSpace(ch);
            if (partOfWord && !inWord) count++;
            inWord = partOfWord;
        }
        return count;
    }
}
