using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Storage;
using Pipelines.Testing;

namespace Pipelines.AutoML.Tests.Storage;

/// <summary>
/// The storage contract for <see cref="RdbStudyStorage"/> on PostgreSQL (a database of its own per test, every
/// handle its own connection, as workers on other machines have), plus the faults only a server has.
/// </summary>
public sealed class PostgresStudyStorageTests : StudyStorageContractTests
{
    readonly string _url = TestPostgres.CreateDatabase();

    protected override IStudyStorage OpenHandle(StudyStorageOptions options) => StudyStorageFactory.Open(_url, options);

    public override void Dispose()
    {
        base.Dispose();
        TestPostgres.DropDatabase(_url);
    }

    [Fact]
    public void ManyWorkersCreatingTrialsAtOnceGetUniqueNumbers()
    {
        var handles = Enumerable.Range(0, 6).Select(_ => Open()).ToArray();
        handles[0].CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        var ids = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.ForEach(handles, handle =>
        {
            for (int i = 0; i < 15; i++) ids.Add(handle.CreateTrial(Study, SomeParameters(i), "TorchMlp", DateTimeOffset.UtcNow));
        });
        Assert.Equal(90, ids.Distinct().Count());
        var numbers = TestPostgres.Column(_url, "SELECT number FROM trials ORDER BY number;");
        Assert.Equal(Enumerable.Range(0, 90).Select(n => n.ToString()), numbers);
    }

    [Fact]
    public void AMissingDatabaseAndARefusedConnectionAreNamed()
    {
        var uri = new Uri(_url);
        var missing = Assert.Throws<StudyStorageException>(() => StudyStorageFactory.Open(_url + "_missing"));
        Assert.Equal(StorageFault.Unavailable, missing.Fault);
        Assert.Contains("has no such database", missing.Message);

        // A refused connection may be a server that is still starting: opening is retried, then named.
        var quickRetry = new StudyStorageOptions { Retry = new StudyRetryPolicy { Attempts = 2, FirstDelay = TimeSpan.FromMilliseconds(50) } };
        var refused = Assert.Throws<StudyUnavailableException>(() =>
            StudyStorageFactory.Open($"postgresql://someone:s3cret@127.0.0.1:1/{uri.AbsolutePath.Trim('/')}", quickRetry));
        Assert.Contains("refused the connection", refused.Message);
        Assert.Contains("after 2 attempt(s)", refused.Message);
        Assert.DoesNotContain("s3cret", refused.Message);

        var malformed = Assert.Throws<ArgumentException>(() => StudyStorageFactory.Open("postgresql://someone:s3cret@127.0.0.1:5432"));
        Assert.Contains("names no database", malformed.Message);
        Assert.DoesNotContain("s3cret", malformed.Message);
    }
}
