using Microsoft.Data.Sqlite;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.AutoML.Tests.Storage;

/// <summary>Retries of transient storage faults: against injected faults, and against a real SQLite file another connection holds locked.</summary>
public sealed class RetryingStudyStorageTests : IDisposable
{
    const string Study = "retry";
    const string SpaceJson = """{"x":{"min":0,"max":1}}""";
    readonly string _folder = Directory.CreateTempSubdirectory("pipelines-retry-").FullName;
    readonly List<TimeSpan> _waits = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    StudyRetryPolicy Policy(int attempts = 4, Action? onWait = null) => new()
    {
        Attempts = attempts,
        Sleep = wait => { _waits.Add(wait); onWait?.Invoke(); },
    };

    [Fact]
    public void ATransientFaultIsRetriedWithGrowingWaitsUntilTheCallSucceeds()
    {
        var faulty = new FaultyStudyStorage();
        using var storage = new RetryingStudyStorage(faulty, Policy());
        storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        int failures = 0;
        faulty.FaultFor = name => name == nameof(IStudyStorage.CreateTrial) && failures++ < 2 ? StorageFault.Locked : null;

        int id = storage.CreateTrial(Study, Parameter.CreateObject(), null, DateTimeOffset.UtcNow);

        Assert.Equal(3, faulty.Calls[nameof(IStudyStorage.CreateTrial)]);
        Assert.Equal(new[] { TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1) }, _waits);
        Assert.Equal(TrialStatus.Running, faulty.Inner.GetTrial(id).Status);
        Assert.Single(faulty.Inner.GetTrials(Study));
    }

    [Fact]
    public void AFaultThatLastsEndsAsStudyUnavailableAfterEveryAttempt()
    {
        var faulty = new FaultyStudyStorage();
        using var storage = new RetryingStudyStorage(faulty, Policy(attempts: 3));
        faulty.FaultFor = _ => StorageFault.Transient;

        var e = Assert.Throws<StudyUnavailableException>(() => storage.GetStudyNames());

        Assert.Equal(3, e.Attempts);
        Assert.Equal(StorageFault.Transient, e.Fault);
        Assert.Contains("injected Transient fault", e.Message);
        Assert.Contains("after 3 attempt(s)", e.Message);
        Assert.Equal(2, _waits.Count);
        Assert.True(StudyStorageException.IsStorageFault(e));
    }

    [Theory]
    [InlineData(StorageFault.Corrupt)]
    [InlineData(StorageFault.Unavailable)]
    [InlineData(StorageFault.Incompatible)]
    public void AFaultThatRetryingCannotMendPassesThroughAtOnce(StorageFault fault)
    {
        var faulty = new FaultyStudyStorage { FaultFor = _ => fault };
        using var storage = new RetryingStudyStorage(faulty, Policy());

        var e = Assert.Throws<StudyStorageException>(() => storage.GetStudy(Study));

        Assert.Equal(fault, e.Fault);
        Assert.Equal(1, faulty.Calls[nameof(IStudyStorage.GetStudy)]);
        Assert.Empty(_waits);
    }

    [Fact]
    public void TheWaitStopsGrowingAtTheMaximum()
    {
        var policy = new StudyRetryPolicy { FirstDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(3) };
        Assert.Equal(new[] { 1.0, 2, 3, 3 }, Enumerable.Range(1, 4).Select(a => policy.DelayAfter(a).TotalSeconds));
    }

    [Fact]
    public void TheFactoryOpensStoragesThatRetry() =>
        Assert.IsType<RetryingStudyStorage>(StudyStorageFactory.Open(Path.Combine(_folder, "study.db"))).Dispose();

    [Fact]
    public void AWriteBlockedPastTheBusyTimeoutByAnotherConnectionSucceedsOnceTheLockIsReleased()
    {
        var file = Path.Combine(_folder, "study.db");
        using var holder = Lockable(file, out var storage, out int id);
        using (storage)
        {
            Exclusive(holder);
            var retrying = new RetryingStudyStorage(storage, Policy(onWait: () => Release(holder)));

            retrying.ReportIntermediate(id, 1, 0.75);

            Assert.Single(_waits);
            Assert.Equal(0.75, Assert.Single(storage.GetTrial(id).IntermediateValues).Value);
        }
    }

    [Fact]
    public void AWriteBlockedOnEveryAttemptIsUnavailableAndChangesNothing()
    {
        var file = Path.Combine(_folder, "study.db");
        using var holder = Lockable(file, out var storage, out int id);
        using (storage)
        {
            Exclusive(holder);
            var retrying = new RetryingStudyStorage(storage, Policy(attempts: 2));

            var e = Assert.Throws<StudyUnavailableException>(() => retrying.FinishTrial(id, TrialStatus.Completed, 1, 1, 1, 0, null, DateTimeOffset.UtcNow, 1));

            Assert.Equal(StorageFault.Locked, e.Fault);
            Assert.Contains(file, e.Message);
            Release(holder);
            Assert.Equal(TrialStatus.Running, storage.GetTrial(id).Status);
        }
    }

    [Fact]
    public void OpeningAStudyAnotherConnectionHoldsLockedIsRetriedUntilTheLockIsReleased()
    {
        var file = Path.Combine(_folder, "study.db");
        using var holder = Lockable(file, out var first, out int id);
        first.Dispose();
        Exclusive(holder);
        var options = new SqliteStudyStorageOptions { BusyTimeout = TimeSpan.FromMilliseconds(100), Retry = Policy(onWait: () => Release(holder)) };

        using var storage = StudyStorageFactory.Open(file, options);

        Assert.Single(_waits);
        Assert.Equal(TrialStatus.Running, storage.GetTrial(id).Status);
    }

    [Fact]
    public void OpeningAStudyLockedThroughEveryAttemptIsUnavailableNamingTheLockAndTheFile()
    {
        var file = Path.Combine(_folder, "study.db");
        using var holder = Lockable(file, out var first, out _);
        first.Dispose();
        Exclusive(holder);
        var options = new SqliteStudyStorageOptions { BusyTimeout = TimeSpan.FromMilliseconds(100), Retry = Policy(attempts: 3) };

        var e = Assert.Throws<StudyUnavailableException>(() => StudyStorageFactory.Open(file, options));

        Assert.Equal(StorageFault.Locked, e.Fault);
        Assert.Equal(3, e.Attempts);
        Assert.Contains(file, e.Message);
        Assert.Equal(2, _waits.Count);
    }

    /// <summary>A study with one Running trial, opened with a short busy timeout, and a second raw connection to lock it with.</summary>
    static SqliteConnection Lockable(string file, out SqliteStudyStorage storage, out int id)
    {
        storage = new SqliteStudyStorage(file, new SqliteStudyStorageOptions { BusyTimeout = TimeSpan.FromMilliseconds(100) });
        storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        id = storage.CreateTrial(Study, Parameter.CreateObject(), null, DateTimeOffset.UtcNow);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    static void Exclusive(SqliteConnection connection) => Execute(connection, "BEGIN EXCLUSIVE;");

    static void Release(SqliteConnection connection)
    {
        if (connection.State == System.Data.ConnectionState.Open) Execute(connection, "ROLLBACK;");
    }

    static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
