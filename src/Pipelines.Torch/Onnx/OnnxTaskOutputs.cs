using Google.Protobuf;
using Pipelines.Torch.Scoring;
using TorchSharp;
using TorchSharp.Modules;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Pipelines.Torch.Onnx;

/// <summary>
/// The ends every exported network shares. In: the flat feature vector, standardized (Sub, Div). Out, from the
/// network's raw output: binary, the logit and its sigmoid; multiclass, softmax probabilities ("Score") and the
/// predicted class's original label value (ArgMax, then Gather over the label's key values); regression, the output
/// mapped back to the label's units.
/// </summary>
internal static class OnnxTaskOutputs
{
    public static string StandardizedInput(OnnxGraphBuilder g, ColumnContract contract, Standardization standardization)
    {
        int dim = contract.Dimension;
        g.Input(contract.FeatureColumnName, DataType.Float, -1, dim);
        var x = g.Node("Sub", new[] { contract.FeatureColumnName, g.Floats("mean", standardization.Mean, dim) });
        return g.Node("Div", new[] { x, g.Floats("scale", standardization.Scale, dim) });
    }

    public static void Write(OnnxGraphBuilder g, string x, ColumnContract contract, (float Mean, float Scale) labelScaling)
    {
        switch (contract.Kind)
        {
            case PredictionKind.BinaryClassification:
                g.Node("Identity", new[] { x }, ScoringColumns.OnnxScore);
                g.Node("Sigmoid", new[] { x }, ScoringColumns.OnnxProbability);
                g.Output(ScoringColumns.OnnxScore, DataType.Float, -1, 1);
                g.Output(ScoringColumns.OnnxProbability, DataType.Float, -1, 1);
                break;
            case PredictionKind.MulticlassClassification:
                int k = contract.ClassCount;
                g.Node("Softmax", new[] { x }, ScoringColumns.Score, OnnxGraphBuilder.Int("axis", 1));
                var index = g.Node("ArgMax", new[] { x }, null, OnnxGraphBuilder.Int("axis", 1), OnnxGraphBuilder.Int("keepdims", 0));
                var (type, classValues) = ClassValuesTensor(g, contract.Classes!);
                g.Node("Gather", new[] { classValues, index }, ScoringColumns.OnnxPredictedValue, OnnxGraphBuilder.Int("axis", 0));
                g.Output(ScoringColumns.Score, DataType.Float, -1, k);
                g.Output(ScoringColumns.OnnxPredictedValue, type, -1);
                break;
            default:
                var scaled = g.Node("Mul", new[] { x, g.Floats("label_scale", new[] { labelScaling.Scale }, 1) });
                g.Node("Add", new[] { scaled, g.Floats("label_mean", new[] { labelScaling.Mean }, 1) }, ScoringColumns.OnnxScore);
                g.Output(ScoringColumns.OnnxScore, DataType.Float, -1, 1);
                break;
        }
    }

    static (DataType Type, string Name) ClassValuesTensor(OnnxGraphBuilder g, ClassLabels classes)
    {
        var dims = new long[] { classes.Values.Length };
        var values = classes.Values;
        var t = classes.ValueType;
        if (t is TextDataViewType)
            return (DataType.String, g.Tensor("classes", DataType.String, dims, p => p.StringData.AddRange(values.Select(v => ByteString.CopyFromUtf8((string)v)))));
        if (t == NumberDataViewType.Single)
            return (DataType.Float, g.Tensor("classes", DataType.Float, dims, p => p.FloatData.AddRange(values.Select(v => (float)v))));
        if (t == NumberDataViewType.Double)
            return (DataType.Double, g.Tensor("classes", DataType.Double, dims, p => p.DoubleData.AddRange(values.Select(v => (double)v))));
        if (t == NumberDataViewType.Int32)
            return (DataType.Int32, g.Tensor("classes", DataType.Int32, dims, p => p.Int32Data.AddRange(values.Select(v => (int)v))));
        if (t == NumberDataViewType.Int64)
            return (DataType.Int64, g.Tensor("classes", DataType.Int64, dims, p => p.Int64Data.AddRange(values.Select(v => (long)v))));
        if (t is BooleanDataViewType)
            return (DataType.Bool, g.Tensor("classes", DataType.Bool, dims, p => p.Int32Data.AddRange(values.Select(v => (bool)v ? 1 : 0))));
        throw new NotSupportedException($"Label key values of type {t} cannot be exported.");
    }

    /// <summary>A Linear layer as a Gemm node (weights transposed, as torch stores them).</summary>
    public static string Gemm(OnnxGraphBuilder g, Linear layer, string x)
    {
        var w = layer.weight!;
        var weights = g.Floats("w", OnnxTaskOutputs.Values(w), w.shape[0], w.shape[1]);
        var bias = g.Floats("b", OnnxTaskOutputs.Values(layer.bias!), w.shape[0]);
        return g.Node("Gemm", new[] { x, weights, bias }, null, OnnxGraphBuilder.Int("transB", 1));
    }

    /// <summary>A tensor's values as a flat float array (copied to the CPU).</summary>
    public static float[] Values(torch.Tensor t)
    {
        using var cpu = t.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }
}
