using System.Diagnostics;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.AutoML.Tests.Storage;

/// <summary>
/// What every <see cref="IStudyStorage"/> must do, run against each implementation by a subclass. Handles opened
/// with <see cref="Open"/> share one store, as processes share one file; each has its own worker identity.
/// </summary>
public abstract class StudyStorageContractTests : IDisposable
{
    protected const string Study = "adult-income";
    protected const string SpaceJson = """{"learning_rate":{"min":1E-05,"max":0.1,"log_base":true}}""";
    static readonly DateTimeOffset T0 = new(2025, 3, 4, 10, 0, 0, TimeSpan.Zero);

    readonly List<IStudyStorage> _handles = new();

    /// <summary>Another handle on the store shared by this test (a new connection, as another process would open).</summary>
    protected abstract IStudyStorage OpenHandle(StudyStorageOptions options);

    protected IStudyStorage Open(WorkerIdentity? worker = null, TimeProvider? clock = null)
    {
        var storage = OpenHandle(new StudyStorageOptions { Worker = worker, Clock = clock ?? TimeProvider.System });
        _handles.Add(storage);
        return storage;
    }

    protected static Parameter SomeParameters(int i) =>
        Parameter.FromJson($$"""{"learning_rate":{{0.001 * (i + 1)}},"batch_size":{{16 << (i % 4)}},"trainer":"TorchMlp"}""");

    public virtual void Dispose()
    {
        foreach (var handle in _handles) (handle as IDisposable)?.Dispose();
    }

    [Fact]
    public void EveryFieldRoundTrips()
    {
        var storage = Open();
        storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        var parameters = Parameter.FromJson("""
            {"learning_rate":0.0012345678901234567,"batch_size":64,"shuffle":true,"name":"日本語 ✓",
             "hidden":{"layers":3,"activation":"gelu","dropout":0.1}}
            """);
        // A non-UTC offset and sub-millisecond ticks: both must survive (the instant, returned in UTC).
        var startedAt = new DateTimeOffset(2025, 3, 4, 12, 11, 12, TimeSpan.FromHours(2)).AddTicks(1234567);
        int id = storage.CreateTrial(Study, parameters, "TorchMlp", startedAt);

        storage.ReportIntermediate(id, 0, 0.5);
        storage.ReportIntermediate(id, 2, 0.1 + 0.2);
        storage.ReportIntermediate(id, 1, double.PositiveInfinity);
        storage.ReportIntermediate(id, 3, double.NaN);
        storage.ReportIntermediate(id, 4, double.NegativeInfinity);
        storage.ReportIntermediate(id, 5, double.Epsilon);
        storage.ReportIntermediate(id, 6, double.MaxValue);
        storage.SetTrialAttribute(id, "report", """{"epochs":7,"best_epoch":2}""");
        storage.SetTrialAttribute(id, "note", "Ünïcødé ✓ 🚀");
        const string error = "损失变成 NaN — époque 3 💥\nat line 2\ttab";
        var finishedAt = startedAt.AddMinutes(3).AddTicks(7);
        storage.FinishTrial(id, TrialStatus.Diverged, double.NaN, 0.7, double.PositiveInfinity, double.NegativeInfinity,
            error, finishedAt, 180.25);

        var expected = new TrialRecord
        {
            Id = id,
            Status = TrialStatus.Diverged,
            Parameters = parameters,
            Trainer = "TorchMlp",
            IntermediateValues = new[]
            {
                new IntermediateValue(0, 0.5), new IntermediateValue(1, double.PositiveInfinity),
                new IntermediateValue(2, 0.1 + 0.2), new IntermediateValue(3, double.NaN),
                new IntermediateValue(4, double.NegativeInfinity), new IntermediateValue(5, double.Epsilon),
                new IntermediateValue(6, double.MaxValue),
            },
            Objective = double.NaN,
            ValidationMetric = 0.7,
            TrainMetric = double.PositiveInfinity,
            GeneralizationGap = double.NegativeInfinity,
            Error = error,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            DurationSeconds = 180.25,
            Attributes = new Dictionary<string, string> { ["report"] = """{"epochs":7,"best_epoch":2}""", ["note"] = "Ünïcødé ✓ 🚀" },
        };
        var stored = storage.GetTrial(id);
        TrialAssert.Same(expected, stored);
        Assert.Equal(TimeSpan.Zero, stored.StartedAt.Offset);
        Assert.Equal(0.0012345678901234567, stored.Parameters["learning_rate"].AsDouble());
        Assert.Equal("日本語 ✓", stored.Parameters["name"].AsString());
        TrialAssert.Same(expected, Assert.Single(storage.GetTrials(Study)));
        TrialAssert.Same(expected, Open().GetTrial(id));
    }

    [Fact]
    public void UnsetMetricsStayNullAndARunningTrialHasNoEnd()
    {
        var storage = Open();
        storage.CreateOrOpenStudy(Study, OptimizationDirection.Minimize, "rmse", SpaceJson);
        int failed = storage.CreateTrial(Study, SomeParameters(0), trainer: null, T0);
        storage.FinishTrial(failed, TrialStatus.Failed, null, null, null, null, null, T0.AddSeconds(1), 1);
        int running = storage.CreateTrial(Study, SomeParameters(1), "FastTree", T0);

        var f = storage.GetTrial(failed);
        Assert.Equal(TrialStatus.Failed, f.Status);
        Assert.Null(f.Trainer);
        Assert.Null(f.Objective);
        Assert.Null(f.ValidationMetric);
        Assert.Null(f.TrainMetric);
        Assert.Null(f.GeneralizationGap);
        Assert.Null(f.Error);
        Assert.Empty(f.IntermediateValues);
        Assert.Empty(f.Attributes);

        var r = storage.GetTrial(running);
        Assert.Equal(TrialStatus.Running, r.Status);
        Assert.False(r.IsFinished);
        Assert.Null(r.FinishedAt);
        Assert.Equal(0, r.DurationSeconds);
        Assert.Equal(SomeParameters(1), r.Parameters);
    }

    [Fact]
    public void ATrialCreatedFirstTakesItsParametersWhenTheTunerHasProposed()
    {
        // Ask, then sample: the trial exists (and has its id) before its parameters are chosen.
        var storage = Open();
        var other = Open();
        storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        int id = storage.CreateTrial(Study, Parameter.CreateObject(), null, T0);
        Assert.Empty(other.GetTrial(id).Parameters.Keys);
        Assert.Null(other.GetTrial(id).Trainer);

        storage.SetTrialParameters(id, SomeParameters(3), "torch-mlp");
        var seen = other.GetTrial(id);
        Assert.Equal(SomeParameters(3), seen.Parameters);
        Assert.Equal("torch-mlp", seen.Trainer);
        Assert.Equal(TrialStatus.Running, seen.Status);

        storage.FinishTrial(id, TrialStatus.Completed, 0.9, 0.9, 0.95, 0.05, null, T0.AddSeconds(3), 3);
        Assert.Throws<InvalidOperationException>(() => storage.SetTrialParameters(id, SomeParameters(4), "fasttree"));
        Assert.Throws<KeyNotFoundException>(() => storage.SetTrialParameters(id + 1000, SomeParameters(4), "fasttree"));
        Assert.Equal(SomeParameters(3), other.GetTrial(id).Parameters);
    }

    [Fact]
    public void ReportingAStepAgainReplacesItsValue()
    {
        var storage = Open();
        storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        int id = storage.CreateTrial(Study, SomeParameters(0), "TorchMlp", T0);
        storage.ReportIntermediate(id, 1, 0.6);
        storage.ReportIntermediate(id, 0, 0.5);
        storage.ReportIntermediate(id, 1, 0.65);
        storage.ReportIntermediate(id, 1, double.NaN);
        storage.ReportIntermediate(id, 1, 0.66);
        storage.SetTrialAttribute(id, "k", "first");
        storage.SetTrialAttribute(id, "k", "second");

        var trial = storage.GetTrial(id);
        Assert.Equal(new[] { new IntermediateValue(0, 0.5), new IntermediateValue(1, 0.66) }, trial.IntermediateValues);
        Assert.Equal("second", Assert.Single(trial.Attributes).Value);
    }

    [Fact]
    public void TrialIdsIncreaseAndEachStudyListsOnlyItsOwnTrials()
    {
        var storage = Open();
        storage.CreateOrOpenStudy("a", OptimizationDirection.Maximize, "accuracy", SpaceJson);
        storage.CreateOrOpenStudy("b", OptimizationDirection.Minimize, "rmse", SpaceJson);
        var ids = new List<int>();
        for (int i = 0; i < 6; i++) ids.Add(storage.CreateTrial(i % 2 == 0 ? "a" : "b", SomeParameters(i), "TorchMlp", T0));

        Assert.Equal(ids.OrderBy(i => i), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(new[] { ids[0], ids[2], ids[4] }, storage.GetTrials("a").Select(t => t.Id));
        Assert.Equal(new[] { ids[1], ids[3], ids[5] }, storage.GetTrials("b").Select(t => t.Id));
        Assert.Equal(SomeParameters(3), storage.GetTrials("b")[1].Parameters);
        Assert.Equal(new[] { "a", "b" }, storage.GetStudyNames());
    }

    [Fact]
    public void TrialsFromAnIdAreThatStudysTrialsFromThereWithTheirValuesAndAttributes()
    {
        var storage = Open();
        storage.CreateOrOpenStudy("a", OptimizationDirection.Maximize, "accuracy", SpaceJson);
        storage.CreateOrOpenStudy("b", OptimizationDirection.Minimize, "rmse", SpaceJson);
        var ids = new List<int>();
        for (int i = 0; i < 6; i++) ids.Add(storage.CreateTrial(i % 2 == 0 ? "a" : "b", SomeParameters(i), "TorchMlp", T0));
        storage.ReportIntermediate(ids[4], 0, 0.5);
        storage.SetTrialAttribute(ids[4], "seed", "7");

        Assert.Equal(new[] { ids[2], ids[4] }, storage.GetTrials("a", ids[1]).Select(t => t.Id));
        Assert.Equal(new[] { ids[4] }, storage.GetTrials("a", ids[4]).Select(t => t.Id));
        Assert.Empty(storage.GetTrials("a", ids[5] + 1));
        TrialAssert.Same(storage.GetTrials("a"), storage.GetTrials("a", 0));
        var fromFour = storage.GetTrials("a", ids[4]).Single();
        Assert.Equal(0.5, fromFour.IntermediateValues.Single().Value);
        Assert.Equal("7", fromFour.Attributes["seed"]);
        Assert.Equal(new[] { ids[3], ids[5] }, storage.GetTrials("b", ids[3]).Select(t => t.Id));
    }

    [Fact]
    public void ReopeningAStudyKeepsItsSettingsAndAddsOnlyNewAttributes()
    {
        var storage = Open();
        var created = storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson,
            new Dictionary<string, string> { ["task"] = "binary", ["label"] = "Label", ["dataset"] = "/data/adült.csv", ["seed"] = "42" });
        Assert.Equal(Study, created.Name);
        Assert.Equal(OptimizationDirection.Maximize, created.Direction);
        Assert.Equal("accuracy", created.MetricName);
        Assert.Equal(SpaceJson, created.SearchSpaceJson);
        Assert.Equal("/data/adült.csv", created.Attributes["dataset"]);

        var reopened = Open().CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "Accuracy", """{"other":{}}""",
            new Dictionary<string, string> { ["seed"] = "7", ["max_trials"] = "50" });
        Assert.Equal("accuracy", reopened.MetricName);
        Assert.Equal(SpaceJson, reopened.SearchSpaceJson);
        Assert.Equal(created.CreatedAt, reopened.CreatedAt);
        Assert.Equal("42", reopened.Attributes["seed"]);
        Assert.Equal("50", reopened.Attributes["max_trials"]);
        Assert.Equal(5, reopened.Attributes.Count);

        var read = storage.GetStudy(Study)!;
        Assert.Equal(reopened.Attributes.OrderBy(a => a.Key), read.Attributes.OrderBy(a => a.Key));
        Assert.Null(storage.GetStudy("no-such-study"));
    }

    [Fact]
    public void OpeningAStudyWithAnotherDirectionOrMetricFailsClearly()
    {
        var storage = Open();
        storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);

        var direction = Assert.Throws<StudyMismatchException>(() =>
            Open().CreateOrOpenStudy(Study, OptimizationDirection.Minimize, "accuracy", SpaceJson));
        Assert.Equal(Study, direction.StudyName);
        Assert.Contains($"Study '{Study}' already exists with direction 'Maximize'", direction.Message);
        Assert.Contains("opened with direction 'Minimize'", direction.Message);

        var metric = Assert.Throws<StudyMismatchException>(() =>
            storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "auc", SpaceJson));
        Assert.Contains("metric 'accuracy'", metric.Message);
        Assert.Contains("metric 'auc'", metric.Message);
    }

    [Fact]
    public void MisuseFailsWithClearErrors()
    {
        var storage = Open();
        Assert.Contains("no study named 'missing'", Assert.Throws<KeyNotFoundException>(() =>
            storage.CreateTrial("missing", SomeParameters(0), null, T0)).Message);
        Assert.Throws<KeyNotFoundException>(() => storage.GetTrials("missing"));
        Assert.Throws<KeyNotFoundException>(() => storage.RecoverInterruptedTrials("missing"));
        Assert.Throws<ArgumentException>(() => storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", "{not json"));
        Assert.Throws<ArgumentException>(() => storage.CreateOrOpenStudy(" ", OptimizationDirection.Maximize, "accuracy", SpaceJson));

        storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        Assert.Contains("no trial with id 12345", Assert.Throws<KeyNotFoundException>(() => storage.GetTrial(12345)).Message);
        Assert.Throws<KeyNotFoundException>(() => storage.ReportIntermediate(12345, 0, 1));
        Assert.Throws<KeyNotFoundException>(() => storage.SetTrialAttribute(12345, "k", "v"));
        Assert.Throws<KeyNotFoundException>(() => storage.Heartbeat(12345));

        int id = storage.CreateTrial(Study, SomeParameters(0), "TorchMlp", T0);
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.ReportIntermediate(id, -1, 0.5));
        Assert.Throws<ArgumentException>(() => storage.FinishTrial(id, TrialStatus.Running, 1, 1, 1, 0, null, T0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.FinishTrial(id, TrialStatus.Completed, 1, 1, 1, 0, null, T0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.FinishTrial(id, TrialStatus.Completed, 1, 1, 1, 0, null, T0, double.NaN));
        Assert.True(storage.Heartbeat(id));

        storage.FinishTrial(id, TrialStatus.Pruned, 0.8, 0.8, 0.9, 0.1, null, T0.AddSeconds(5), 5);
        Assert.Contains("already Pruned", Assert.Throws<InvalidOperationException>(() =>
            storage.FinishTrial(id, TrialStatus.Completed, 0.9, 0.9, 0.9, 0, null, T0, 1)).Message);
        Assert.Throws<InvalidOperationException>(() => storage.ReportIntermediate(id, 3, 0.5));
        Assert.False(storage.Heartbeat(id));
        // Attributes may still be added, for example to note which trial re-ran this one.
        storage.SetTrialAttribute(id, "rerun_as", "17");
        var trial = storage.GetTrial(id);
        Assert.Equal(TrialStatus.Pruned, trial.Status);
        Assert.Equal("17", trial.Attributes["rerun_as"]);
    }

    [Fact]
    public void SilentTrialsOfAnotherWorkerAreRecoveredAsFailedWithTheirCurve()
    {
        var clock = new ManualClock(T0);
        var live = Open(clock: clock);
        // Another worker in this very process, abandoned without finishing its trial or being disposed, as a
        // killed process leaves it; its process id is alive, so only its heartbeat can tell that it stopped.
        var abandoned = Open(clock: clock);
        live.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);

        int interrupted = abandoned.CreateTrial(Study, SomeParameters(1), "TorchMlp", T0);
        abandoned.ReportIntermediate(interrupted, 0, 0.6);
        clock.Advance(TimeSpan.FromSeconds(10));
        abandoned.ReportIntermediate(interrupted, 1, 0.65);
        abandoned.SetTrialAttribute(interrupted, "batch_size_used", "64");
        int completed = abandoned.CreateTrial(Study, SomeParameters(2), "FastTree", clock.GetUtcNow());
        abandoned.FinishTrial(completed, TrialStatus.Completed, 0.8, 0.8, 0.85, 0.05, null, clock.GetUtcNow(), 1.5);
        var completedBefore = live.GetTrial(completed);
        var lastHeartbeat = clock.GetUtcNow();

        int ownRunning = live.CreateTrial(Study, SomeParameters(3), "TorchMlp", clock.GetUtcNow());
        live.ReportIntermediate(ownRunning, 0, 0.55);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(live.RecoverInterruptedTrials(Study));

        clock.Advance(TimeSpan.FromMinutes(2));
        var recovered = Assert.Single(live.RecoverInterruptedTrials(Study));
        Assert.Equal(interrupted, recovered.Id);
        Assert.Equal(TrialStatus.Failed, recovered.Status);
        Assert.Equal(IStudyStorage.InterruptedError, recovered.Error);
        Assert.Equal("interrupted: the process running this trial stopped", recovered.Error);
        Assert.Equal(SomeParameters(1), recovered.Parameters);
        Assert.Equal("TorchMlp", recovered.Trainer);
        Assert.Equal(new[] { new IntermediateValue(0, 0.6), new IntermediateValue(1, 0.65) }, recovered.IntermediateValues);
        Assert.Equal("64", recovered.Attributes["batch_size_used"]);
        Assert.Equal(lastHeartbeat, recovered.FinishedAt);
        Assert.Equal(10, recovered.DurationSeconds);
        Assert.Null(recovered.Objective);
        TrialAssert.Same(recovered, live.GetTrial(interrupted));

        // The asking worker's own trial is never recovered, however old its heartbeat; finished ones are untouched.
        Assert.Equal(TrialStatus.Running, live.GetTrial(ownRunning).Status);
        TrialAssert.Same(completedBefore, live.GetTrial(completed));
        Assert.Empty(live.RecoverInterruptedTrials(Study));

        // Had the worker been alive after all, it learns that its trial was taken from it.
        Assert.False(abandoned.Heartbeat(interrupted));
        Assert.Throws<InvalidOperationException>(() => abandoned.ReportIntermediate(interrupted, 2, 0.7));
        Assert.Throws<InvalidOperationException>(() =>
            abandoned.FinishTrial(interrupted, TrialStatus.Completed, 0.7, 0.7, 0.7, 0, null, clock.GetUtcNow(), 200));
    }

    [Fact]
    public void HeartbeatsKeepATrialWithLongStepsAlive()
    {
        var clock = new ManualClock(T0);
        var live = Open(clock: clock);
        var slow = Open(clock: clock);
        live.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        int id = slow.CreateTrial(Study, SomeParameters(0), "TorchMlp", T0);
        slow.ReportIntermediate(id, 0, 0.5);
        for (int i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(90));
            Assert.True(slow.Heartbeat(id));
            Assert.Empty(live.RecoverInterruptedTrials(Study));
        }
        // A shorter timeout given to the call overrides the storage's.
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(id, Assert.Single(live.RecoverInterruptedTrials(Study, TimeSpan.FromSeconds(30))).Id);
    }

    [Fact]
    public void TrialsOfAProcessOnThisMachineThatWasKilledAreRecoveredAtOnce()
    {
        using var child = StartIdleProcess();
        try
        {
            var writer = Open(worker: WorkerIdentity.ForProcess(child));
            var live = Open();
            live.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
            int id = writer.CreateTrial(Study, SomeParameters(0), "TorchMlp", DateTimeOffset.UtcNow);
            writer.ReportIntermediate(id, 0, 0.5);
            writer.ReportIntermediate(id, 1, 0.55);
            Assert.Empty(live.RecoverInterruptedTrials(Study));

            child.Kill();
            child.WaitForExit();

            // No need to wait for the heartbeat timeout: the owner's process is gone from this machine.
            var recovered = Assert.Single(live.RecoverInterruptedTrials(Study));
            Assert.Equal(id, recovered.Id);
            Assert.Equal(TrialStatus.Failed, recovered.Status);
            Assert.Equal(IStudyStorage.InterruptedError, recovered.Error);
            Assert.Equal(new[] { 0.5, 0.55 }, recovered.IntermediateValues.Select(v => v.Value));
        }
        finally
        {
            if (!child.HasExited) child.Kill();
        }
    }

    [Fact]
    public void AProcessIdNowUsedByAnotherProcessCountsAsGone()
    {
        var live = Open();
        live.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        var me = WorkerIdentity.ForCurrentProcess();
        var reusedId = Open(worker: me with { ProcessStartedAt = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        var unknownStart = Open(worker: me with { WorkerId = Guid.NewGuid().ToString("N"), ProcessStartedAt = null });
        int gone = reusedId.CreateTrial(Study, SomeParameters(0), "TorchMlp", DateTimeOffset.UtcNow);
        int alive = unknownStart.CreateTrial(Study, SomeParameters(1), "TorchMlp", DateTimeOffset.UtcNow);

        Assert.Equal(gone, Assert.Single(live.RecoverInterruptedTrials(Study)).Id);
        Assert.Equal(TrialStatus.Running, live.GetTrial(alive).Status);
    }

    [Fact]
    public void TrialsOfAnotherMachineWaitForTheHeartbeatTimeout()
    {
        var clock = new ManualClock(T0);
        var live = Open(clock: clock);
        live.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        // A process id that does not run here: on another machine that says nothing.
        var remote = Open(worker: new WorkerIdentity("remote-worker", int.MaxValue, "another-machine", null), clock: clock);
        int id = remote.CreateTrial(Study, SomeParameters(0), "TorchMlp", T0);

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(live.RecoverInterruptedTrials(Study));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(id, Assert.Single(live.RecoverInterruptedTrials(Study)).Id);
    }

    [Fact]
    public void ConcurrentWritersOnOneHandleLoseNothing()
    {
        var storage = Open();
        storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        RunTrialsInParallel(Enumerable.Repeat(storage, 8).ToArray(), trialsPerThread: 20, epochs: 4);
        AssertAllTrialsComplete(storage, expectedCount: 8 * 20, epochs: 4);
    }

    [Fact]
    public void TwoHandlesWritingAtOnceLoseNothing()
    {
        var first = Open();
        var second = Open();
        first.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        RunTrialsInParallel(new[] { first, second, first, second, first, second }, trialsPerThread: 10, epochs: 3);
        AssertAllTrialsComplete(second, expectedCount: 6 * 10, epochs: 3);
    }

    static void RunTrialsInParallel(IStudyStorage[] handlePerThread, int trialsPerThread, int epochs)
    {
        using var start = new Barrier(handlePerThread.Length);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = handlePerThread.Select((storage, thread) => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                for (int i = 0; i < trialsPerThread; i++)
                {
                    var parameters = Parameter.FromJson($$"""{"thread":{{thread}},"index":{{i}}}""");
                    int id = storage.CreateTrial(Study, parameters, "TorchMlp", DateTimeOffset.UtcNow);
                    for (int epoch = 0; epoch < epochs; epoch++) storage.ReportIntermediate(id, epoch, thread + i / 100.0 + epoch);
                    storage.SetTrialAttribute(id, "thread", thread.ToString());
                    storage.FinishTrial(id, TrialStatus.Completed, thread + i / 100.0, thread + i / 100.0, 1, 0, null, DateTimeOffset.UtcNow, 0.5);
                }
            }
            catch (Exception e)
            {
                // An exception on a raw thread would end the test host; report it from the test instead.
                failures.Enqueue(e);
            }
        })).ToList();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        Assert.Empty(failures);
    }

    static void AssertAllTrialsComplete(IStudyStorage storage, int expectedCount, int epochs)
    {
        var trials = storage.GetTrials(Study);
        Assert.Equal(expectedCount, trials.Count);
        Assert.Equal(expectedCount, trials.Select(t => t.Id).Distinct().Count());
        Assert.Equal(expectedCount, trials.Select(t => t.Parameters.ToJson()).Distinct().Count());
        foreach (var trial in trials)
        {
            Assert.Equal(TrialStatus.Completed, trial.Status);
            int thread = trial.Parameters["thread"].AsInt();
            double expected = thread + trial.Parameters["index"].AsInt() / 100.0;
            Assert.Equal(expected, trial.Objective);
            Assert.Equal(Enumerable.Range(0, epochs).Select(e => new IntermediateValue(e, expected + e)), trial.IntermediateValues);
            Assert.Equal(thread.ToString(), trial.Attributes["thread"]);
        }
    }

    /// <summary>A child process that waits; the test kills it as a crash would end a study process.</summary>
    static Process StartIdleProcess()
    {
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe", "/c ping -n 60 127.0.0.1")
            : new ProcessStartInfo("sleep", "60");
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start a child process.");
    }
}
