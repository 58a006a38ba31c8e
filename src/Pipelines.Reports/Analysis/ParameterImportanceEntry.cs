namespace Pipelines.Reports.Analysis;

/// <summary>One parameter's share of the objective's explained variance; a trainer's shares sum to 1.</summary>
public sealed record ParameterImportanceEntry(string Parameter, double Importance);
