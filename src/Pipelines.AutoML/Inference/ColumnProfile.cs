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
        var tally = new Tally(decimalMarker);
        foreach (var row in rows) tally.Add(row.Fields[column], row.LineNumber);
        return tally.Profile(rows.Count);
    }

    /// <summary>The running counts of one column over the sampled rows.</summary>
    sealed class Tally(char decimalMarker)
    {
        readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
        readonly HashSet<double> _numbers = new();
        readonly HashSet<string> _missingSpellings = new(StringComparer.Ordinal);
        int _missing, _nonNumeric;
        bool _integer = true, _boolean = true, _increasing = true, _decreasing = true;
        double _min = double.PositiveInfinity, _max = double.NegativeInfinity, _previous = double.NaN;
        long _words, _length;
        (string, long)? _firstNonNumeric;

        public void Add(string value, long lineNumber)
        {
            if (CellValues.IsMissing(value))
            {
                _missing++;
                _missingSpellings.Add(value);
                return;
            }
            _counts[value] = _counts.GetValueOrDefault(value) + 1;
            _length += value.Length;
            _words += CountWords(value);
            _boolean = _boolean && CellValues.TryParseBoolean(value, out _);
            if (CellValues.TryParseNumber(value, decimalMarker, out double number)) AddNumber(number);
            else
            {
                _nonNumeric++;
                _firstNonNumeric ??= (value, lineNumber);
            }
        }

        void AddNumber(double number)
        {
            _numbers.Add(number);
            _integer &= number == Math.Floor(number);
            _min = Math.Min(_min, number);
            _max = Math.Max(_max, number);
            if (!double.IsNaN(_previous))
            {
                _increasing &= number > _previous;
                _decreasing &= number < _previous;
            }
            _previous = number;
        }

        public ColumnProfile Profile(int rowCount)
        {
            int present = rowCount - _missing;
            bool numeric = present > 0 && _nonNumeric == 0;
            return new ColumnProfile
            {
                RowCount = rowCount,
                DecimalMarker = decimalMarker,
                MissingCount = _missing,
                ValueCounts = _counts,
                DistinctNumbers = numeric ? _numbers : new HashSet<double>(),
                MissingSpellings = _missingSpellings,
                IsNumeric = numeric,
                IsInteger = numeric && _integer,
                IsBoolean = present > 0 && _boolean,
                IsStrictlyMonotonic = numeric && present > 1 && (_increasing || _decreasing),
                Min = numeric ? _min : double.NaN,
                Max = numeric ? _max : double.NaN,
                AverageWordCount = present == 0 ? 0 : (double)_words / present,
                AverageLength = present == 0 ? 0 : (double)_length / present,
                FirstNonNumeric = _firstNonNumeric,
                NonNumericCount = _nonNumeric,
            };
        }
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
