namespace Pipelines.Torch.Ensembles;

/// <summary>
/// A fitted <see cref="WeightedEnsemble"/>: ML.NET's transformer chain that scores it, with its members and weights kept
/// beside it so that the whole ensemble can be written as one ONNX graph (<see cref="EnsemblePipelineOnnx"/>). It saves
/// as that chain, so <c>mlContext.Model.Load</c> gives the chain back.
/// </summary>
public sealed class WeightedEnsembleModel : ITransformer, ICanSaveModel
{
    readonly ITransformer _scoring;

    internal WeightedEnsembleModel(TransformerChain<ITransformer> scoring, IReadOnlyList<ITransformer> members, IReadOnlyList<double> weights,
        ColumnContract combined)
    {
        _scoring = scoring;
        Members = members;
        Weights = weights;
        Combined = combined;
    }

    /// <summary>The fitted members, each reading the features.</summary>
    public IReadOnlyList<ITransformer> Members { get; }

    /// <summary>One weight per member, summing to 1.</summary>
    public IReadOnlyList<double> Weights { get; }

    public PredictionKind Kind => Combined.Kind;

    /// <summary>What the combining graph reads (the members' outputs side by side) and predicts.</summary>
    internal ColumnContract Combined { get; }

    public bool IsRowToRowMapper => _scoring.IsRowToRowMapper;
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _scoring.GetOutputSchema(inputSchema);
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _scoring.GetRowToRowMapper(inputSchema);
    public IDataView Transform(IDataView input) => _scoring.Transform(input);

    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)_scoring).Save(ctx);
}
