namespace Pipelines.AutoML.Tuners;

/// <summary>
/// Uniform random points of the unit cube: the baseline every other tuner must beat, and the one that parallelizes
/// perfectly (it ignores results, so any number of proposals may be pending). The same seed gives the same points.
/// </summary>
public sealed class RandomTuner : ITuner
{
    readonly SearchSpace _space;
    readonly Random _random;

    public RandomTuner(SearchSpace space, int seed = 0)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        _random = new Random(seed);
    }

    public Parameter Propose(TrialSettings settings) =>
        _space.SampleFromFeatureSpace(UnitCube.UniformPoint(_random, _space.FeatureSpaceDimension));

    /// <summary>Random search learns nothing from results.</summary>
    public void Update(TrialResult result) { }
}
