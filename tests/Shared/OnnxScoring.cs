using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Pipelines.Testing;

/// <summary>
/// Runs an ONNX model with ONNX Runtime, as an app in another runtime would: each graph input is fed from the data
/// view's column of the same name ([N, 1] per scalar column, [N, size] per vector), every output read back flat.
/// </summary>
internal static class OnnxScoring
{
    public static Dictionary<string, Array> Run(byte[] model, IDataView data)
    {
        using var session = new InferenceSession(model);
        var inputs = session.InputMetadata.Select(i => Input(data, i.Key)).ToList();
        using var results = session.Run(inputs);
        return results.ToDictionary(r => r.Name, Values);
    }

    static NamedOnnxValue Input(IDataView data, string name)
    {
        var column = data.Schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The ONNX model reads '{name}', which the data does not have ({string.Join(", ", data.Schema.Select(c => c.Name))}).");
        var type = column.Type;
        if (type is VectorDataViewType { ItemType: var item, Size: var size } && item == NumberDataViewType.Single)
        {
            var rows = data.GetColumn<float[]>(name).ToList();
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), new[] { rows.Count, size }));
        }
        if (type == NumberDataViewType.Single) return Column(name, data.GetColumn<float>(name).ToArray());
        if (type is TextDataViewType) return Column(name, data.GetColumn<string>(name).ToArray());
        if (type is BooleanDataViewType) return Column(name, data.GetColumn<bool>(name).ToArray());
        throw new NotSupportedException($"Column '{name}' has type {type}, which this helper does not feed.");
    }

    static NamedOnnxValue Column<T>(string name, T[] values) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<T>(values, new[] { values.Length, 1 }));

    static Array Values(DisposableNamedOnnxValue value) => value.ElementType switch
    {
        TensorElementType.Float => value.AsTensor<float>().ToArray(),
        TensorElementType.String => value.AsTensor<string>().ToArray(),
        TensorElementType.Bool => value.AsTensor<bool>().ToArray(),
        TensorElementType.UInt32 => value.AsTensor<uint>().ToArray(),
        TensorElementType.Int64 => value.AsTensor<long>().ToArray(),
        var other => throw new NotSupportedException($"Output '{value.Name}' has element type {other}, which this helper does not read."),
    };
}
