namespace Pipelines.Torch.Trainers;

/// <summary>A fitted TorchSharp image classifier; see <see cref="TorchModel"/>.</summary>
public sealed class TorchImageClassifierModel : TorchModel
{
    readonly ConvNetwork _network;
    readonly Standardization _standardization;

    internal TorchImageClassifierModel(Func<ITransformer> scoring, byte[] onnx, TrainingReport report, ColumnContract contract,
        ImageShape shape, ConvNetwork network, Standardization standardization)
        : base(scoring, onnx, report, contract)
    {
        ImageShape = shape;
        _network = network;
        _standardization = standardization;
    }

    /// <summary>Channels, height and width of the images the model takes.</summary>
    public ImageShape ImageShape { get; }

    /// <summary>The network's class logits computed by TorchSharp, to check that the ONNX export computes what was trained.</summary>
    internal float[] PredictWithTorch(float[] rowMajorPixels) => ForwardWithTorch(_network, _standardization, rowMajorPixels);
}
