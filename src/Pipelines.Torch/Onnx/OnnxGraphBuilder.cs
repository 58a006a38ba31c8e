using Google.Protobuf;
using Onnx;

namespace Pipelines.Torch.Onnx;

/// <summary>A small helper over the ONNX protobuf classes: named values, initializers and nodes in order.</summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The opset the network exporters declare.</summary>
    public const int Opset = 13;

    /// <summary>
    /// The lowest opset at which every node the exporters write means the same (Softmax over axis 1 of a matrix,
    /// ArgMax, Gather, Gemm, Conv, pooling, the activations): a graph joined to ML.NET's featurizer takes the
    /// featurizer's opset, which must be at least this.
    /// </summary>
    public const int LowestCompatibleOpset = 11;

    readonly GraphProto _graph;
    readonly string _prefix;
    int _counter;

    public OnnxGraphBuilder() : this(new GraphProto { Name = "pipelines" }, "") { }

    /// <summary>Adds to an existing graph; every name it makes starts with <paramref name="prefix"/>, which the graph's own names must not.</summary>
    public OnnxGraphBuilder(GraphProto graph, string prefix)
    {
        _graph = graph;
        _prefix = prefix;
    }

    /// <summary>A fresh intermediate value name.</summary>
    public string Fresh(string hint) => $"{_prefix}{hint}_{_counter++}";

    public void Input(string name, TensorProto.Types.DataType type, params long[] dims) => _graph.Input.Add(ValueInfo(name, type, dims));

    public void Output(string name, TensorProto.Types.DataType type, params long[] dims) => _graph.Output.Add(ValueInfo(name, type, dims));

    public string Floats(string hint, float[] values, params long[] dims)
    {
        var t = Tensor(hint, TensorProto.Types.DataType.Float, dims);
        t.FloatData.AddRange(values);
        _graph.Initializer.Add(t);
        return t.Name;
    }

    public string Tensor(string hint, TensorProto.Types.DataType type, long[] dims, Action<TensorProto> fill)
    {
        var t = Tensor(hint, type, dims);
        fill(t);
        _graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>Adds a node and returns its (single) output name; pass <paramref name="output"/> to name it.</summary>
    public string Node(string op, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        output ??= Fresh(op.ToLowerInvariant());
        var node = new NodeProto { OpType = op, Name = Fresh(op) };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public byte[] ToBytes(string producerVersion)
    {
        var model = new ModelProto
        {
            IrVersion = 7,
            ProducerName = "Pipelines.Torch",
            ProducerVersion = producerVersion,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }

    TensorProto Tensor(string hint, TensorProto.Types.DataType type, long[] dims)
    {
        var t = new TensorProto { Name = Fresh(hint), DataType = (int)type };
        t.Dims.AddRange(dims);
        return t;
    }

    /// <summary>A tensor type with a symbolic batch dimension where a dimension is -1.</summary>
    static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
