using System.Text.Json;
using Pipelines.AutoML.Storage;

namespace Pipelines.Cli.Tests.Reliability;

/// <summary>The data checksum a study records for its workers to compare: SHA-256 of the file's bytes (hashed as a stream), what sha256sum prints.</summary>
public sealed class DataChecksumTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AStudyRecordsTheSha256OfItsDataFile()
    {
        var study = _temp.File("shared.db");
        Tool.Run("classification", "--dataset", Tool.Dataset("iris.csv"), "--label-col", "species", "--trainers", "linear", "--max-trials", "1",
            "--storage", "sqlite:///" + study, "--study", "iris", "-o", _temp.File("run")).AssertExitCode(0);

        using var storage = StudyStorageFactory.Open(study);
        var checksums = JsonSerializer.Deserialize<Dictionary<string, string>>(storage.GetStudy("iris")!.Attributes["pipelines_data_sha256"])!;

        // sha256sum datasets/iris.csv
        Assert.Equal("9cc1c345c71bcc9b486b74cbf6063fa66f4bb5e0f603a4b3c3471ec2e5e8e355", Assert.Single(checksums).Value);
    }
}
