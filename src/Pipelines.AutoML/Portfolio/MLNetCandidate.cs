namespace Pipelines.AutoML.Portfolio;

/// <summary>
/// What the candidates for ML.NET's own trainers share: a sampled parameter they do not get leaves the trainer's
/// option at ML.NET's default, so the empty point is exactly the catalog's trainer, <c>mlContext.*.Trainers.X()</c>.
/// </summary>
public abstract class MLNetCandidate : TrainerCandidate
{
    /// <summary>
    /// With the candidate's own space, the empty point: what a user who compares with the catalog's trainer runs (ML.NET
    /// also picks some values from the data, as LightGBM's learning rate and leaves). With a space the user changed,
    /// that space's default, which lies in it.
    /// </summary>
    public override Parameter FirstPoint(NestedSpace space, PredictionKind task, int trainRows) =>
        space.ToJson() == DefaultSearchSpace(task, trainRows).ToJson() ? Parameter.CreateObject() : space.Default;
}

/// <summary>An ML.NET trainer's candidate whose space is its typed <typeparamref name="TSearchOptions"/>, for every task.</summary>
public abstract class MLNetCandidate<TSearchOptions> : MLNetCandidate where TSearchOptions : class
{
    public override bool Supports(PredictionKind task) => true;

    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows) => SpaceOf<TSearchOptions>();

    /// <summary>The sampled point as the candidate's search options.</summary>
    protected static TSearchOptions Read(Parameter point) => Read<TSearchOptions>(point);
}
