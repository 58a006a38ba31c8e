namespace Pipelines.Torch.Trainers;

/// <summary>A fitted TorchSharp MLP (binary, multiclass or regression); see <see cref="TorchModel"/>.</summary>
public sealed class TorchMlpModel : TorchModel
{
    readonly MlpNetwork _network;
    readonly Standardization _standardization;
    readonly (float Mean, float Scale) _labelScaling;

    internal TorchMlpModel(Func<ITransformer> scoring, byte[] onnx, TrainingReport report, ColumnContract contract,
        MlpNetwork network, Standardization standardization, (float Mean, float Scale) labelScaling)
        : base(scoring, onnx, report, contract)
    {
        _network = network;
        _standardization = standardization;
        _labelScaling = labelScaling;
    }

    /// <summary>
    /// The label and the prediction columns of <see cref="TorchModel.Transform"/> for <paramref name="input"/>'s rows,
    /// computed by TorchSharp on whole batches while the network is in memory, for evaluation: the saved model scores
    /// through ONNX Runtime one row at a time, which a search would pay on every trial's validation rows. The other
    /// columns of the input are not passed through.
    /// </summary>
    public IDataView ScoreInBatches(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var rows = TabularData.Read(input, Contract, "Scored");
        return Scoring.BatchScoring.ToDataView(Contract, rows.Labels, PredictWithTorch(rows.Features));
    }

    /// <summary>
    /// The network's raw outputs computed by TorchSharp for row-major features (logit, K logits, or the regression
    /// value in label units). Used to check that the ONNX export computes what was trained.
    /// </summary>
    internal float[] PredictWithTorch(float[] rowMajorFeatures) =>
        ForwardWithTorch(_network, _standardization, rowMajorFeatures,
            Kind == PredictionKind.Regression ? y => y.mul(_labelScaling.Scale).add(_labelScaling.Mean) : null);
}
