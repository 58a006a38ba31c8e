namespace Pipelines.Reports.Analysis;

/// <summary>One trial as ML.NET sees it in the importance forest: the objective and the parameter vector.</summary>
internal sealed class ForestRow
{
    public float Label { get; set; }
    public float[] Features { get; set; } = Array.Empty<float>();
}
