using Pipelines.AutoML.Storage;

namespace Pipelines.AutoML.Tests.Storage;

/// <summary>The storage contract for <see cref="InMemoryStudyStorage"/>; shared handles stand in for processes.</summary>
public sealed class InMemoryStudyStorageTests : StudyStorageContractTests
{
    InMemoryStudyStorage? _first;

    protected override IStudyStorage OpenHandle(StudyStorageOptions options) =>
        _first is null ? _first = new InMemoryStudyStorage(options) : _first.OpenSharedHandle(options);

    [Fact]
    public void SeparateInstancesShareNothing()
    {
        var a = new InMemoryStudyStorage();
        var b = new InMemoryStudyStorage();
        a.CreateOrOpenStudy(Study, Trials.OptimizationDirection.Maximize, "accuracy", SpaceJson);
        Assert.Null(b.GetStudy(Study));
        Assert.NotEqual(a.Worker.WorkerId, b.Worker.WorkerId);
    }

    [Fact]
    public void ReturnedRecordsDoNotChangeWithLaterWrites()
    {
        var storage = (InMemoryStudyStorage)Open();
        storage.CreateOrOpenStudy(Study, Trials.OptimizationDirection.Maximize, "accuracy", SpaceJson);
        int id = storage.CreateTrial(Study, SomeParameters(0), "TorchMlp", DateTimeOffset.UtcNow);
        storage.ReportIntermediate(id, 0, 0.5);
        var before = storage.GetTrial(id);
        storage.ReportIntermediate(id, 1, 0.6);
        storage.SetTrialAttribute(id, "k", "v");
        Assert.Single(before.IntermediateValues);
        Assert.Empty(before.Attributes);
    }
}
