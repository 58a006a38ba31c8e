using Onnx;

namespace Pipelines.Torch.Onnx;

/// <summary>
/// Cuts a graph down to what some of its outputs need: the other outputs go, and so do the nodes none of the kept
/// outputs depends on, and the initializers and inputs no kept node reads. A featurizer converted by ML.NET carries
/// the label, the ignored columns and every intermediate column; after pruning the joined model asks only for the
/// columns its predictions read.
/// </summary>
internal static class OnnxGraphPruning
{
    public static void KeepOutputs(GraphProto graph, IReadOnlyList<string> outputs)
    {
        var missing = outputs.Where(o => graph.Output.All(g => g.Name != o)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"The graph has no output {string.Join(", ", missing.Select(m => $"'{m}'"))}; it has: {string.Join(", ", graph.Output.Select(o => o.Name))}.");

        var needed = new HashSet<string>(outputs, StringComparer.Ordinal);
        var kept = new List<NodeProto>();
        for (int i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(needed.Contains)) continue;
            kept.Add(node);
            needed.UnionWith(node.Input.Where(n => n.Length > 0));
            // A subgraph (If, Loop, Scan) may read outer values by name: keep everything its nodes read.
            foreach (var sub in node.Attribute.SelectMany(a => a.G != null ? new[] { a.G } : a.Graphs.ToArray()))
                needed.UnionWith(sub.Node.SelectMany(n => n.Input));
        }
        kept.Reverse();

        var ordered = outputs.Select(o => graph.Output.First(g => g.Name == o)).ToList();
        Replace(graph.Output, ordered);
        Replace(graph.Node, kept);
        Replace(graph.Initializer, graph.Initializer.Where(t => needed.Contains(t.Name)).ToList());
        Replace(graph.Input, graph.Input.Where(v => needed.Contains(v.Name)).ToList());
        Replace(graph.ValueInfo, graph.ValueInfo.Where(v => needed.Contains(v.Name)).ToList());
    }

    static void Replace<T>(Google.Protobuf.Collections.RepeatedField<T> field, List<T> items)
    {
        field.Clear();
        field.AddRange(items);
    }
}
