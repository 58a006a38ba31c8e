namespace Pipelines.Cli.Tests.Reliability;

/// <summary>
/// A study.db that is truncated, random bytes, or missing, given to `report` and `resume`: exit 1 saying the study is
/// corrupt (or missing) and naming the file, never exit 70; and `report` never writes to a study or creates one.
/// </summary>
public sealed class DamagedStudyTests(FinishedRun run) : IClassFixture<FinishedRun>, IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    string StudyDb(string folder) => Path.Combine(folder, "study.db");

    [Theory]
    [InlineData("report")]
    [InlineData("resume")]
    public void ARandomBytesStudyIsCorrupt(string command)
    {
        var folder = run.CopyTo(_temp.Path);
        var bytes = new byte[8192];
        new Random(12).NextBytes(bytes);
        File.WriteAllBytes(StudyDb(folder), bytes);

        Tool.Run(command, "--output", folder).AssertOneClearError(1, "is corrupt", StudyDb(folder));
        Assert.Equal(bytes, File.ReadAllBytes(StudyDb(folder)));
    }

    [Theory]
    [InlineData("report")]
    [InlineData("resume")]
    public void ATruncatedStudyIsCorrupt(string command)
    {
        var folder = run.CopyTo(_temp.Path);
        var whole = File.ReadAllBytes(StudyDb(folder));
        File.WriteAllBytes(StudyDb(folder), whole[..(whole.Length / 3)]);

        Tool.Run(command, "--output", folder).AssertOneClearError(1, "is corrupt", StudyDb(folder));
    }

    [Fact]
    public void ReportReadsTheStudyWithoutWritingIt()
    {
        var folder = run.CopyTo(_temp.Path);
        var before = File.ReadAllBytes(StudyDb(folder));
        File.Delete(Path.Combine(folder, "leaderboard.csv"));

        Tool.Run("report", "--output", folder).AssertExitCode(0);

        Assert.Equal(before, File.ReadAllBytes(StudyDb(folder)));
        Assert.True(File.Exists(Path.Combine(folder, "leaderboard.csv")));
    }

    [Fact]
    public void ReportOnAFolderWithoutAStudyCreatesNone()
    {
        var folder = run.CopyTo(_temp.Path);
        File.Delete(StudyDb(folder));

        Tool.Run("report", "--output", folder).AssertOneClearError(1, "has no study.db");
        Assert.False(File.Exists(StudyDb(folder)));
    }
}
