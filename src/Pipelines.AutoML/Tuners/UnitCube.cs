namespace Pipelines.AutoML.Tuners;

/// <summary>Helpers every tuner shares: the meaning of each cube coordinate, clipping and random draws.</summary>
internal static class UnitCube
{
    /// <summary>Integer ranges with more values than this are treated as continuous (their bins are finer than any step).</summary>
    const long MaxDiscreteLevels = 1_000_000;

    /// <summary>One <see cref="CubeDimension"/> per coordinate of <paramref name="space"/>, in cube order.</summary>
    public static IReadOnlyList<CubeDimension> Describe(SearchSpace space)
    {
        var dimensions = new List<CubeDimension>(space.FeatureSpaceDimension);
        Walk(space, 0, Array.Empty<(int, int, int)>(), dimensions);
        return dimensions;
    }

    static void Walk(SearchSpace space, int offset, (int, int, int)[] conditions, List<CubeDimension> into)
    {
        switch (space)
        {
            case NumericSpace numeric:
                into.Add(new CubeDimension(offset, LevelsOf(numeric), false, conditions, numeric));
                break;
            case ChoiceSpace choice:
                into.Add(new CubeDimension(offset, choice.Choices.Count, true, conditions, null));
                break;
            case NestedSpace nested:
                foreach (var name in nested.Names)
                {
                    var child = nested[name];
                    Walk(child, offset, conditions, into);
                    offset += child.FeatureSpaceDimension;
                }
                break;
            case OneOfSpace oneOf:
                int count = oneOf.OptionNames.Count;
                into.Add(new CubeDimension(offset, count, true, conditions, null));
                for (int i = 0; i < count; i++)
                {
                    var name = oneOf.OptionNames[i];
                    var (start, _) = oneOf.SliceOf(name);
                    Walk(oneOf[name], offset + start, conditions.Append((offset, i, count)).ToArray(), into);
                }
                break;
            default:
                throw new NotSupportedException($"Tuners do not know the search space type {space.GetType().Name}.");
        }
    }

    /// <summary>Distinct values of an integer range (0 for continuous ranges), matching how the range bins the unit interval.</summary>
    public static int LevelsOf(NumericSpace numeric)
    {
        if (numeric.PowerOfTwo)
        {
            int low = (int)Math.Ceiling(Math.Log2(numeric.Min) - 1e-12);
            int high = (int)Math.Floor(Math.Log2(numeric.Max) + 1e-12);
            return high - low + 1;
        }
        if (numeric.Type == NumericType.Int && !numeric.LogBase)
        {
            long count = (long)(numeric.Max - numeric.Min) + 1;
            return count <= MaxDiscreteLevels ? (int)count : 0;
        }
        return 0;
    }

    public static void Clip(double[] point)
    {
        for (int i = 0; i < point.Length; i++)
            point[i] = double.IsNaN(point[i]) ? 0.5 : Math.Clamp(point[i], 0, 1);
    }

    public static double[] UniformPoint(Random random, int dimension)
    {
        var point = new double[dimension];
        for (int i = 0; i < dimension; i++) point[i] = random.NextDouble();
        return point;
    }

    /// <summary>A standard normal draw (Box-Muller), so tuners need nothing beyond <see cref="Random"/> and stay reproducible.</summary>
    public static double NextGaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(); // in (0, 1], so the log is finite
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Failed and diverged trials report NaN or infinity; tuners rank both as the worst possible loss.</summary>
    public static double SanitizeLoss(double loss) => double.IsNaN(loss) ? double.PositiveInfinity : loss;
}
