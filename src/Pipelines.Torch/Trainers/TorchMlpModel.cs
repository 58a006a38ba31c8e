using Microsoft.ML;
using Pipelines.Torch.Data;
using Pipelines.Torch.Networks;
using Pipelines.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Torch.Trainers;

/// <summary>A fitted TorchSharp MLP (binary, multiclass or regression); see <see cref="TorchModel"/>.</summary>
public sealed class TorchMlpModel : TorchModel
{
    readonly MlpNetwork _network;
    readonly Standardization _standardization;
    readonly (float Mean, float Scale) _labelScaling;

    internal TorchMlpModel(ITransformer scoring, byte[] onnx, TrainingReport report, ColumnContract contract,
        MlpNetwork network, Standardization standardization, (float Mean, float Scale) labelScaling)
        : base(scoring, onnx, report, contract)
    {
        _network = network;
        _standardization = standardization;
        _labelScaling = labelScaling;
    }

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
