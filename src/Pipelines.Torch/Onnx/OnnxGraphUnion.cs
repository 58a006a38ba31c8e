using Onnx;

namespace Pipelines.Torch.Onnx;

/// <summary>
/// Puts several ONNX models that read the same inputs side by side in one model (an ensemble's members, each with its
/// own copy of the featurizer): the inputs are shared by name, every other name of model i gets a prefix of its own,
/// and the outputs of all are kept for <see cref="OnnxGraphPruning"/> to choose from.
/// </summary>
internal static class OnnxGraphUnion
{
    /// <summary>The union, and the name that model i's name has in it.</summary>
    public static (ModelProto Model, Func<int, string, string> Name) Merge(IReadOnlyList<ModelProto> models)
    {
        if (models.Count == 0) throw new ArgumentException("There is nothing to merge.", nameof(models));
        var inputs = new Dictionary<string, ValueInfoProto>(StringComparer.Ordinal);
        foreach (var input in models.SelectMany(m => m.Graph.Input.Where(i => !IsInitializer(m.Graph, i.Name))))
            if (!inputs.TryAdd(input.Name, input) && !inputs[input.Name].Type.Equals(input.Type))
                throw new NotSupportedException($"The members read the input '{input.Name}' with different types.");
        string prefix = UniquePrefix(inputs.Keys);
        string Name(int model, string name) => name.Length == 0 || inputs.ContainsKey(name) ? name : $"{prefix}{model}.{name}";

        var union = new ModelProto
        {
            IrVersion = models.Max(m => m.IrVersion),
            Graph = new GraphProto { Name = "ensemble" },
        };
        union.Graph.Input.AddRange(inputs.Values.Select(v => v.Clone()));
        for (int m = 0; m < models.Count; m++) Add(union.Graph, models[m].Graph, n => Name(m, n));
        foreach (var domain in models.SelectMany(m => m.OpsetImport).GroupBy(o => o.Domain))
            union.OpsetImport.Add(new OperatorSetIdProto { Domain = domain.Key, Version = domain.Max(o => o.Version) });
        return (union, Name);
    }

    static void Add(GraphProto union, GraphProto graph, Func<string, string> name)
    {
        // A subgraph reads outer values by name, which the renaming would have to follow into it.
        if (graph.Node.FirstOrDefault(n => n.Attribute.Any(a => a.G != null || a.Graphs.Count > 0)) is { } nested)
            throw new NotSupportedException($"A member's ONNX graph has a node with a subgraph ({nested.OpType}), which cannot be merged.");
        OnnxGraphCopy.AddRenamed(union, graph, name);
    }

    static bool IsInitializer(GraphProto graph, string name) => graph.Initializer.Any(i => i.Name == name);

    /// <summary>"member" or, should an input's name start with it, "member1", "member2", ...</summary>
    static string UniquePrefix(IEnumerable<string> inputs)
    {
        var names = inputs.ToList();
        for (int n = 0; ; n++)
        {
            var prefix = n == 0 ? "member" : $"member{n}_";
            if (!names.Any(name => name.StartsWith(prefix, StringComparison.Ordinal))) return prefix;
        }
    }
}
