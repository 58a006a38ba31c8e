using Onnx;

namespace Pipelines.Torch.Onnx;

/// <summary>Copies one graph's initializers, nodes, value infos and outputs into another, renaming every name on the way.</summary>
internal static class OnnxGraphCopy
{
    public static void AddRenamed(GraphProto into, GraphProto from, Func<string, string> name)
    {
        foreach (var initializer in from.Initializer)
        {
            var copy = initializer.Clone();
            copy.Name = name(copy.Name);
            into.Initializer.Add(copy);
        }
        foreach (var node in from.Node)
        {
            var copy = node.Clone();
            copy.Name = name(copy.Name);
            for (int i = 0; i < copy.Input.Count; i++) copy.Input[i] = name(copy.Input[i]);
            for (int i = 0; i < copy.Output.Count; i++) copy.Output[i] = name(copy.Output[i]);
            into.Node.Add(copy);
        }
        ValueInfoProto Renamed(ValueInfoProto info)
        {
            var copy = info.Clone();
            copy.Name = name(copy.Name);
            return copy;
        }
        into.ValueInfo.AddRange(from.ValueInfo.Select(Renamed));
        into.Output.AddRange(from.Output.Select(Renamed));
    }
}
