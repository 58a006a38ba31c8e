namespace Pipelines.Reports.Analysis;

/// <summary>The parameter importances of one trainer, over its completed trials, most important first.</summary>
/// <param name="Trials">Completed trials with a finite objective that the analysis used.</param>
/// <param name="Note">Why a fallback was taken, or what limits the result; null when nothing needs saying.</param>
public sealed record TrainerImportance(
    string Trainer,
    int Trials,
    ImportanceMethod Method,
    IReadOnlyList<ParameterImportanceEntry> Parameters,
    string? Note);
