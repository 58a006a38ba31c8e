using Onnx;

namespace Pipelines.Torch.Onnx;

/// <summary>
/// Joins two ONNX models into one: the first (the producer, ML.NET's featurizer) computes a value that the second
/// (the consumer, a Torch network) reads as its input. The result has the producer's inputs, the nodes of both, and
/// the outputs of both; <see cref="OnnxGraphPruning"/> then keeps the ones wanted.
/// </summary>
internal static class OnnxGraphJoin
{
    /// <summary>
    /// The joined model, and the name each consumer name has in it. Every consumer name gets a prefix that no producer
    /// name starts with, so nothing clashes, except <paramref name="consumerInput"/>, which becomes
    /// <paramref name="producerOutput"/>.
    /// </summary>
    public static (ModelProto Model, Func<string, string> ConsumerName) Join(
        ModelProto producer, string producerOutput, ModelProto consumer, string consumerInput)
    {
        var produced = producer.Graph.Output.SingleOrDefault(o => o.Name == producerOutput)
            ?? throw new ArgumentException($"The producer graph has no output '{producerOutput}'; it has: {string.Join(", ", producer.Graph.Output.Select(o => o.Name))}.");
        var initializers = consumer.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var read = consumer.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (read.Count != 1 || read[0].Name != consumerInput)
            throw new ArgumentException($"The consumer graph must read exactly one input, '{consumerInput}'; it reads: {string.Join(", ", read.Select(i => i.Name))}.");
        CheckSameShape(produced, read[0]);

        string prefix = UniquePrefix(producer.Graph);
        string Rename(string name) => name.Length == 0 ? name : name == consumerInput ? producerOutput : prefix + name;

        var joined = producer.Clone();
        var graph = joined.Graph;
        // A node's name is renamed like a value's: the consumer's input name is not a node name in practice.
        OnnxGraphCopy.AddRenamed(graph, consumer.Graph, Rename);

        joined.IrVersion = Math.Max(producer.IrVersion, consumer.IrVersion);
        MergeOpsets(joined, consumer);
        return (joined, Rename);
    }

    /// <summary>
    /// Each domain at the producer's version where the producer uses it (its nodes were written for that version), else
    /// the consumer's. The consumer's standard ops must then mean the same at the producer's opset. A domain that nodes
    /// use but neither model imports gets version 1: ML.NET's converter writes com.microsoft nodes (MurmurHash3, for
    /// hashed categories) without importing the domain, which ONNX Runtime tolerates and the onnx checker does not.
    /// </summary>
    static void MergeOpsets(ModelProto joined, ModelProto consumer)
    {
        foreach (var domain in joined.Graph.Node.Select(n => n.Domain).Distinct().ToList())
            if (joined.OpsetImport.All(o => o.Domain != domain) && consumer.OpsetImport.All(o => o.Domain != domain))
                joined.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = 1 });
        foreach (var theirs in consumer.OpsetImport)
        {
            var ours = joined.OpsetImport.FirstOrDefault(o => o.Domain == theirs.Domain);
            if (ours == null)
            {
                joined.OpsetImport.Add(theirs.Clone());
                continue;
            }
            if (theirs.Domain.Length == 0 && ours.Version < OnnxGraphBuilder.LowestCompatibleOpset)
                throw new NotSupportedException(
                    $"The featurizer's ONNX uses opset {ours.Version}; the network's nodes need opset {OnnxGraphBuilder.LowestCompatibleOpset} or later.");
        }
    }

    static void CheckSameShape(ValueInfoProto produced, ValueInfoProto read)
    {
        var a = produced.Type?.TensorType;
        var b = read.Type?.TensorType;
        if (a == null || b == null) return;
        if (a.ElemType != b.ElemType)
            throw new ArgumentException($"'{produced.Name}' holds element type {a.ElemType}; '{read.Name}' reads {b.ElemType}.");
        long Width(TypeProto.Types.Tensor t) => t.Shape?.Dim.Count == 2 ? t.Shape.Dim[1].DimValue : 0;
        long produces = Width(a), reads = Width(b);
        if (produces > 0 && reads > 0 && produces != reads)
            throw new ArgumentException($"'{produced.Name}' has {produces} values per row; '{read.Name}' reads {reads}.");
    }

    /// <summary>"torch." or, should a producer name start with it, "torch1.", "torch2.", ...</summary>
    static string UniquePrefix(GraphProto graph)
    {
        var names = graph.Node.SelectMany(n => n.Input.Concat(n.Output).Append(n.Name))
            .Concat(graph.Initializer.Select(i => i.Name))
            .Concat(graph.Input.Concat(graph.Output).Concat(graph.ValueInfo).Select(v => v.Name))
            .ToList();
        for (int n = 0; ; n++)
        {
            var prefix = n == 0 ? "torch." : $"torch{n}.";
            if (!names.Any(name => name.StartsWith(prefix, StringComparison.Ordinal))) return prefix;
        }
    }
}
