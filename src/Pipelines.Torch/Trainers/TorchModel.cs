using static TorchSharp.torch;

namespace Pipelines.Torch.Trainers;

/// <summary>
/// What every fitted Torch model shares: it scores through its exported ONNX graph inside an ML.NET transformer
/// chain, so the in-memory model and the one saved with <c>mlContext.Model.Save</c> are the same computation and
/// Load gives back that chain (no side files). <see cref="TrainingReport"/> holds the per-epoch history and the
/// generalization gap.
/// </summary>
public abstract class TorchModel : ITransformer, ICanSaveModel
{
    readonly Lazy<ITransformer> _scoring;
    readonly byte[] _onnx;

    /// <summary>
    /// <paramref name="scoring"/> builds the ONNX-backed chain, when the model first scores through ML.NET or is saved:
    /// a search scores most trials' models in batches (<see cref="TorchMlpModel.ScoreInBatches"/>) and never needs it.
    /// </summary>
    private protected TorchModel(Func<ITransformer> scoring, byte[] onnx, TrainingReport report, ColumnContract contract)
    {
        _scoring = new Lazy<ITransformer>(scoring);
        _onnx = onnx;
        TrainingReport = report;
        Contract = contract;
    }

    /// <summary>Per-epoch train and validation metrics, the generalization gap, best epoch and stop reason.</summary>
    public TrainingReport TrainingReport { get; }

    /// <summary>The task this model was trained for.</summary>
    public PredictionKind Kind => Contract.Kind;

    internal ColumnContract Contract { get; }

    /// <summary>The network as an ONNX model (opset 13), input standardization included, for other runtimes.</summary>
    public ReadOnlyMemory<byte> OnnxModel => _onnx;

    /// <summary>Writes <see cref="OnnxModel"/> to a file.</summary>
    public void SaveOnnx(string path) => File.WriteAllBytes(path, _onnx);

    public bool IsRowToRowMapper => _scoring.Value.IsRowToRowMapper;
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _scoring.Value.GetOutputSchema(inputSchema);
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _scoring.Value.GetRowToRowMapper(inputSchema);
    public IDataView Transform(IDataView input) => _scoring.Value.Transform(input);

    /// <summary>
    /// The network's raw outputs computed by TorchSharp for row-major features, standardized as in training. Models use
    /// it to check that the ONNX export computes what was trained.
    /// </summary>
    private protected static float[] ForwardWithTorch(nn.Module<Tensor, Tensor> network, Standardization standardization,
        float[] rowMajorFeatures, Func<Tensor, Tensor>? toOutputUnits = null)
    {
        var standardized = standardization.Apply(rowMajorFeatures);
        int dimension = standardization.Mean.Length;
        network.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var device = network.parameters().First().device;
        var x = tensor(standardized, new long[] { standardized.Length / dimension, dimension }).to(device);
        var y = network.forward(x);
        if (toOutputUnits != null) y = toOutputUnits(y);
        return y.cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>Saves the ONNX-backed ML.NET chain; loading gives that chain back.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)_scoring.Value).Save(ctx);
}
