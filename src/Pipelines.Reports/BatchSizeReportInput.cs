using Pipelines.Torch.BatchSize;

namespace Pipelines.Reports;

/// <summary>What <see cref="BatchSizeReport.Write"/> needs: the sweep, a title, and the settings to show.</summary>
public sealed record BatchSizeReportInput
{
    /// <summary>The page's heading, typically the data set's file name.</summary>
    public required string Title { get; init; }
    public required BatchSizeSweepResult Result { get; init; }
    /// <summary>Settings shown as they are (data set, trainer, learning-rate rule, budget...).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    /// <summary>The time printed on the page; now when null.</summary>
    public DateTimeOffset? GeneratedAt { get; init; }
}
