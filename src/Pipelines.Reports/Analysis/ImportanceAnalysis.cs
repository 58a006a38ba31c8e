namespace Pipelines.Reports.Analysis;

/// <summary>
/// Parameter importance for a study: per trainer (trainers have different parameters), plus the share of the
/// objective's variance that the choice of trainer itself explains when several trainers completed trials.
/// </summary>
/// <param name="TrainerShare">Eta squared of the objective over trainers; null with fewer than two trainers.</param>
/// <param name="Skipped">Trainers left out, each with the reason.</param>
public sealed record ImportanceAnalysis(
    double? TrainerShare,
    IReadOnlyList<TrainerImportance> Trainers,
    IReadOnlyList<string> Skipped);
