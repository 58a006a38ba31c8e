using Pipelines.AutoML.Metrics;

namespace Pipelines.AutoML.Tests.Metrics;

public sealed class PairedLeadTests
{
    [Fact]
    public void TheLeadIsTheMeanPerRowDifferenceAndItsStandardErrorThatOfTheMean()
    {
        // Differences 1, 0, 0, 1: mean 0.5, sample variance 1/3, standard error sqrt(1/3 / 4).
        var lead = PairedLead.Of([1.0, 1, 0, 1], [0.0, 1, 0, 0])!.Value;
        Assert.Equal(0.5, lead.Lead, 12);
        Assert.Equal(Math.Sqrt(1.0 / 3 / 4), lead.StandardError, 12);
        Assert.Equal(4, lead.Rows);
        Assert.True(lead.IsClear);
    }

    [Fact]
    public void ALeadWithinOneStandardErrorIsNotClear()
    {
        // Differences +1, -1, +1, -1, +1: mean 0.2, standard error sqrt(1.2 / 5) = 0.49.
        var lead = PairedLead.Of([1.0, 0, 1, 0, 1], [0.0, 1, 0, 1, 0])!.Value;
        Assert.True(lead.Lead > 0);
        Assert.False(lead.IsClear);
        Assert.Null(PairedLead.Of([1.0], [0.0]));
    }
}
