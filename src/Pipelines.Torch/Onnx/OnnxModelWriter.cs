using Google.Protobuf;
using Onnx;

namespace Pipelines.Torch.Onnx;

/// <summary>The frame of the public pipeline converters: every argument checked, then the converted model written to the stream.</summary>
internal static class OnnxModelWriter
{
    public static void Write(ModelOperationsCatalog catalog, ITransformer model, IDataView inputData, Stream stream,
        Func<ModelOperationsCatalog, ITransformer, IDataView, ModelProto> convert)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputData);
        ArgumentNullException.ThrowIfNull(stream);
        convert(catalog, model, inputData).WriteTo(stream);
    }
}
