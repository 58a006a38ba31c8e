namespace Pipelines.Cli.Runs;

/// <summary>The batch-size command's --batch-sizes: a range MIN..MAX (MIN, the powers of two between, MAX) or a list of sizes.</summary>
internal static class BatchSizeList
{
    public const string Default = "16..4096";

    public static int[] Parse(string? text)
    {
        text ??= Default;
        if (text.Contains(','))
        {
            var sizes = new List<int>();
            foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size < 1)
                    throw CliException.Input($"--batch-sizes '{text}': '{part}' is not a batch size (a whole number of at least 1).");
                sizes.Add(size);
            }
            return sizes.Distinct().Order().ToArray();
        }
        var range = IntRange.Parse(text, "--batch-sizes");
        var result = new SortedSet<int> { range.Min, range.Max };
        for (long power = 1; power < range.Max; power *= 2)
            if (power > range.Min) result.Add((int)power);
        return result.ToArray();
    }
}
