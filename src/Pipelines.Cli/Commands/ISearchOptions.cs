namespace Pipelines.Cli.Commands;

/// <summary>
/// The options of every command that starts a search (classification, regression, image-classification). Each
/// settings class declares them itself, so that each can describe them for its kind of data.
/// </summary>
internal interface ISearchOptions : ICommonOptions
{
    string Dataset { get; }
    string? ValidationDataset { get; }
    string? TestDataset { get; }
    double? TrainTime { get; }
    string? Output { get; }
    string? Name { get; }
    string? Trainers { get; }
    string? Metric { get; }
    string Tuner { get; }
    string Pruner { get; }
    int? MaxTrials { get; }
    int Parallel { get; }
    int Seed { get; }
    string Device { get; }
    string? BatchSizes { get; }
    string? Epochs { get; }
    string? SearchSpace { get; }
    double GapPenalty { get; }
    bool Force { get; }
}
