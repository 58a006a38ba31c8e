namespace Pipelines.Torch.Onnx;

/// <summary>
/// A fitted pipeline as the flat list of its steps (nested chains opened), with the schema each one reads, so a step
/// can be told apart and named by what it writes.
/// </summary>
internal sealed class PipelineSteps
{
    PipelineSteps(List<ITransformer> steps, List<DataViewSchema> schemas)
    {
        Steps = steps;
        Schemas = schemas;
    }

    public IReadOnlyList<ITransformer> Steps { get; }

    /// <summary>Schemas[i] is what step i reads; Schemas[Steps.Count] is the pipeline's output.</summary>
    public IReadOnlyList<DataViewSchema> Schemas { get; }

    public static PipelineSteps Of(ITransformer model, DataViewSchema input)
    {
        var steps = new List<ITransformer>();
        Flatten(model, steps);
        var schemas = new List<DataViewSchema> { input };
        foreach (var step in steps) schemas.Add(step.GetOutputSchema(schemas[^1]));
        return new PipelineSteps(steps, schemas);
    }

    /// <summary>
    /// The visible columns step <paramref name="index"/> adds, replaces or drops. ML.NET appends a step's outputs after
    /// the columns it passes through, so the columns that keep their order, name and type are the ones it left alone.
    /// </summary>
    public IReadOnlyList<string> Written(int index)
    {
        var before = Schemas[index].Where(c => !c.IsHidden).ToList();
        var after = Schemas[index + 1].Where(c => !c.IsHidden).ToList();
        var written = new List<string>();
        int next = 0;
        foreach (var column in after)
        {
            int k = before.FindIndex(next, c => c.Name == column.Name);
            if (k >= 0 && before[k].Type.Equals(column.Type)) next = k + 1;
            else written.Add(column.Name);
        }
        var dropped = before.Where(c => after.All(a => a.Name != c.Name)).Select(c => c.Name);
        return written.Concat(dropped).ToList();
    }

    /// <summary>"Step 3 of 7 (OneHotEncodingTransformer, writing 'workclass', 'sex')", counting every step of the pipeline.</summary>
    public string Describe(int index)
    {
        var written = Written(index);
        var columns = written.Count == 0 ? "" : ", writing " + string.Join(", ", written.Select(c => $"'{c}'"));
        return $"Step {index + 1} of {Steps.Count} ({TypeName(Steps[index].GetType())}{columns})";
    }

    /// <summary>A chain of steps <paramref name="start"/> to <paramref name="end"/> (exclusive).</summary>
    public TransformerChain<ITransformer> Range(int start, int end) => new(Steps.Skip(start).Take(end - start).ToArray());

    /// <summary>"TextFeaturizingEstimator.Transformer" for a nested type, which alone would read "Transformer"; no generic arity.</summary>
    static string TypeName(Type type)
    {
        var name = type.Name.Split('`')[0];
        return type.DeclaringType is { } outer ? TypeName(outer) + "." + name : name;
    }

    static void Flatten(ITransformer model, List<ITransformer> steps)
    {
        if (model is IEnumerable<ITransformer> chain)
            foreach (var inner in chain) Flatten(inner, steps);
        else
            steps.Add(model);
    }
}
