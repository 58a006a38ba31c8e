using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.Torch.Data;
using Pipelines.Torch.Networks;
using Pipelines.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Torch.Trainers;

/// <summary>
/// A fitted TorchSharp MLP. It scores through the exported ONNX graph inside an ML.NET transformer chain, so the
/// in-memory model and the one saved with <c>mlContext.Model.Save</c> are the same computation; Load gives back that
/// chain (no side files). <see cref="TrainingReport"/> holds the per-epoch history and the generalization gap.
/// </summary>
public sealed class TorchMlpModel : ITransformer, ICanSaveModel
{
    readonly ITransformer _scoring;
    readonly byte[] _onnx;
    readonly MlpNetwork _network;
    readonly Standardization _standardization;
    readonly (float Mean, float Scale) _labelScaling;

    internal TorchMlpModel(ITransformer scoring, byte[] onnx, TrainingReport report, ColumnContract contract,
        MlpNetwork network, Standardization standardization, (float Mean, float Scale) labelScaling)
    {
        _scoring = scoring;
        _onnx = onnx;
        TrainingReport = report;
        Contract = contract;
        _network = network;
        _standardization = standardization;
        _labelScaling = labelScaling;
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

    public bool IsRowToRowMapper => _scoring.IsRowToRowMapper;
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _scoring.GetOutputSchema(inputSchema);
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _scoring.GetRowToRowMapper(inputSchema);
    public IDataView Transform(IDataView input) => _scoring.Transform(input);

    /// <summary>Saves the ONNX-backed ML.NET chain; loading gives that chain back.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)_scoring).Save(ctx);

    /// <summary>
    /// The network's raw outputs computed by TorchSharp for row-major features (logit, K logits, or the regression
    /// value in label units). Used to check that the ONNX export computes what was trained.
    /// </summary>
    internal float[] PredictWithTorch(float[] rowMajorFeatures)
    {
        var standardized = _standardization.Apply(rowMajorFeatures);
        int rows = standardized.Length / Contract.Dimension;
        _network.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var device = _network.parameters().First().device;
        var x = tensor(standardized, new long[] { rows, Contract.Dimension }).to(device);
        var y = _network.forward(x);
        if (Kind == PredictionKind.Regression) y = y.mul(_labelScaling.Scale).add(_labelScaling.Mean);
        return y.cpu().contiguous().data<float>().ToArray();
    }
}
