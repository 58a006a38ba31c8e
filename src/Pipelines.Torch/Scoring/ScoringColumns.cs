namespace Pipelines.Torch.Scoring;

/// <summary>Column names of the scoring chain: ML.NET's standard outputs and our intermediate ONNX outputs.</summary>
internal static class ScoringColumns
{
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";

    // ONNX outputs are always vectors in ML.NET; these intermediates are turned into the scalar columns and dropped.
    public const string OnnxScore = "PipelinesScoreVector";
    public const string OnnxProbability = "PipelinesProbabilityVector";
    public const string OnnxPredictedValue = "PipelinesPredictedValueVector";
    public const string PredictedValue = "PipelinesPredictedValue";
}
