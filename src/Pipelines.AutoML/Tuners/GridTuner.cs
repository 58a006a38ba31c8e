using System.Text;

namespace Pipelines.AutoML.Tuners;

/// <summary>
/// Grid search on the unit cube. Each numeric range is cut into <c>stepsPerDimension</c> equal bins and the grid
/// takes their centres (integer ranges with fewer values take every value); every choice and every power of two
/// of a power-of-two range is a grid value. A one_of space's grid is the union of its options' grids, not their
/// product, so no two grid points give the same parameter. Points come in a seeded random order without repeats
/// (a uniform draw among the points not yet proposed, which is a uniformly shuffled grid even when the grid is too
/// large to list). Once every point was proposed, the tuner falls back to uniform random points: re-running a
/// grid point teaches nothing, a random point might. Results are not used, so parallel proposals are safe.
/// </summary>
public sealed class GridTuner : ITuner
{
    readonly SearchSpace _space;
    readonly Random _random;
    readonly GridNode _grid;
    /// <summary>The default point; grid points copy it, so coordinates of unchosen options are always the same.</summary>
    readonly double[] _basePoint;
    readonly HashSet<string> _proposed = new();

    public GridTuner(SearchSpace space, int seed = 0, int stepsPerDimension = 5)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        if (stepsPerDimension < 1) throw new ArgumentOutOfRangeException(nameof(stepsPerDimension), stepsPerDimension, "A grid needs at least one step per dimension.");
        _random = new Random(seed);
        _grid = Build(space, 0, stepsPerDimension);
        _basePoint = space.MappingToFeatureSpace(space.Default);
    }

    /// <summary>The number of grid points (a double: grids over many dimensions outgrow any integer).</summary>
    public double GridSize => _grid.Size;

    /// <summary>Whether every grid point has been proposed (later proposals are random).</summary>
    public bool IsExhausted => _proposed.Count >= _grid.Size;

    public Parameter Propose(TrialSettings settings)
    {
        if (IsExhausted) return _space.SampleFromFeatureSpace(UnitCube.UniformPoint(_random, _space.FeatureSpaceDimension));
        var key = new StringBuilder();
        while (true)
        {
            var point = (double[])_basePoint.Clone();
            key.Clear();
            _grid.Sample(_random, point, key);
            if (_proposed.Add(key.ToString())) return _space.SampleFromFeatureSpace(point);
        }
    }

    /// <summary>Grid search does not learn from results.</summary>
    public void Update(TrialResult result) { }

    static GridNode Build(SearchSpace space, int offset, int steps)
    {
        switch (space)
        {
            case NumericSpace numeric:
                return new Axis(offset, GridValues(numeric, steps));
            case ChoiceSpace choice:
                return new Axis(offset, BinCentres(choice.Choices.Count));
            case NestedSpace nested:
                var factors = new List<GridNode>();
                foreach (var name in nested.Names)
                {
                    factors.Add(Build(nested[name], offset, steps));
                    offset += nested[name].FeatureSpaceDimension;
                }
                return new Product(factors);
            case OneOfSpace oneOf:
                var options = oneOf.OptionNames.Select(name => Build(oneOf[name], offset + oneOf.SliceOf(name).Offset, steps)).ToArray();
                return new Union(offset, BinCentres(options.Length), options);
            default:
                throw new NotSupportedException($"The grid tuner does not know the search space type {space.GetType().Name}.");
        }
    }

    static double[] BinCentres(int count) => Enumerable.Range(0, count).Select(i => (i + 0.5) / count).ToArray();

    /// <summary>Bin centres of the range, without two that give the same value (narrow integer ranges would repeat).</summary>
    static double[] GridValues(NumericSpace numeric, int steps)
    {
        int levels = UnitCube.LevelsOf(numeric);
        if (numeric.PowerOfTwo || (levels > 0 && levels <= steps)) return BinCentres(levels);
        var seen = new HashSet<double>();
        return BinCentres(steps).Where(u => seen.Add(numeric.ValueAt(u))).ToArray();
    }

    /// <summary>A part of the grid: draws one of its points uniformly and writes the chosen level indices into a key.</summary>
    abstract class GridNode
    {
        public abstract double Size { get; }
        public abstract void Sample(Random random, double[] point, StringBuilder key);
    }

    /// <summary>One coordinate and its grid values.</summary>
    sealed class Axis(int index, double[] values) : GridNode
    {
        public override double Size => values.Length;

        public override void Sample(Random random, double[] point, StringBuilder key)
        {
            int level = random.Next(values.Length);
            point[index] = values[level];
            key.Append(level).Append(',');
        }
    }

    /// <summary>Independent parts (the entries of a nested space): every combination is a point.</summary>
    sealed class Product(IReadOnlyList<GridNode> factors) : GridNode
    {
        public override double Size { get; } = factors.Aggregate(1.0, (size, f) => size * f.Size);

        public override void Sample(Random random, double[] point, StringBuilder key)
        {
            foreach (var factor in factors) factor.Sample(random, point, key);
        }
    }

    /// <summary>A one_of space: a point is one option and a point of that option's grid.</summary>
    sealed class Union(int selectorIndex, double[] selectorValues, GridNode[] options) : GridNode
    {
        public override double Size { get; } = options.Sum(o => o.Size);

        public override void Sample(Random random, double[] point, StringBuilder key)
        {
            // Options weigh as much as their grids, so every point of the union is equally likely.
            double draw = random.NextDouble() * Size, cumulative = 0;
            int chosen = options.Length - 1;
            for (int i = 0; i < options.Length - 1; i++)
            {
                cumulative += options[i].Size;
                if (draw < cumulative) { chosen = i; break; }
            }
            point[selectorIndex] = selectorValues[chosen];
            key.Append(chosen).Append(':');
            options[chosen].Sample(random, point, key);
        }
    }
}
