using Microsoft.Data.Sqlite;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.AutoML.Tests.Storage;

/// <summary>
/// The storage contract for <see cref="SqliteStudyStorage"/> (every handle a new instance, with its own connection,
/// on one file), plus what only a file can show: reopening, data on disk while the writer runs, the schema.
/// </summary>
public sealed class SqliteStudyStorageTests : StudyStorageContractTests
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "pipelines-storage-tests", Guid.NewGuid().ToString("N"));
    readonly string _file;

    public SqliteStudyStorageTests() => _file = Path.Combine(_folder, "study.db");

    protected override IStudyStorage OpenHandle(StudyStorageOptions options) => new SqliteStudyStorage(_file,
        new SqliteStudyStorageOptions { Worker = options.Worker, Clock = options.Clock, HeartbeatTimeout = options.HeartbeatTimeout });

    public override void Dispose()
    {
        base.Dispose();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void ANewInstanceOnTheFileReadsIdenticalRecords()
    {
        IReadOnlyList<TrialRecord> written;
        StudyRecord study;
        using (var storage = new SqliteStudyStorage(_file))
        {
            study = storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson,
                new Dictionary<string, string> { ["task"] = "binary", ["seed"] = "42" });
            WriteOneTrialOfEachKind(storage);
            written = storage.GetTrials(Study);
        }
        Assert.False(File.Exists(_file + "-wal"), "Closing the last connection checkpoints the WAL into the file.");

        using var reopened = new SqliteStudyStorage(_file);
        TrialAssert.Same(written, reopened.GetTrials(Study));
        var readStudy = reopened.GetStudy(Study)!;
        Assert.Equal(study with { Attributes = readStudy.Attributes }, readStudy);
        Assert.Equal(study.Attributes.OrderBy(a => a.Key), readStudy.Attributes.OrderBy(a => a.Key));
        // Numbering goes on after the last trial written by the closed instance.
        Assert.True(reopened.CreateTrial(Study, SomeParameters(9), null, DateTimeOffset.UtcNow) > written.Max(t => t.Id));
    }

    [Fact]
    public void WhatWasReportedIsInTheFilesWhileTheWriterStillRuns()
    {
        // Never disposed before the copy: the files are as a kill -9 would leave them.
        var writer = (SqliteStudyStorage)Open();
        writer.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        int id = writer.CreateTrial(Study, SomeParameters(0), "TorchMlp", DateTimeOffset.UtcNow);
        writer.ReportIntermediate(id, 0, 0.5);
        writer.ReportIntermediate(id, 1, double.NaN);
        writer.SetTrialAttribute(id, "epoch_seconds", "12.5");

        string copyFolder = Path.Combine(_folder, "copy");
        Directory.CreateDirectory(copyFolder);
        string copy = Path.Combine(copyFolder, "study.db");
        File.Copy(_file, copy);
        if (File.Exists(_file + "-wal")) File.Copy(_file + "-wal", copy + "-wal");

        using var afterCrash = new SqliteStudyStorage(copy);
        var trial = Assert.Single(afterCrash.GetTrials(Study));
        Assert.Equal(TrialStatus.Running, trial.Status);
        Assert.Equal(new[] { new IntermediateValue(0, 0.5), new IntermediateValue(1, double.NaN) }, trial.IntermediateValues);
        Assert.Equal("12.5", trial.Attributes["epoch_seconds"]);
    }

    [Fact]
    public void TheFileHasTheDocumentedSchemaAndEncodings()
    {
        using (var storage = new SqliteStudyStorage(_file))
        {
            storage.CreateOrOpenStudy(Study, OptimizationDirection.Minimize, "rmse", SpaceJson);
            int id = storage.CreateTrial(Study, SomeParameters(0), "TorchMlp", new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)));
            storage.ReportIntermediate(id, 0, double.NaN);
            storage.FinishTrial(id, TrialStatus.Diverged, double.NaN, null, double.PositiveInfinity, 0.25, "loss is NaN",
                new DateTimeOffset(2025, 1, 2, 8, 5, 5, TimeSpan.Zero), 60);
        }

        using var connection = OpenRaw();
        Assert.Equal("wal", Query(connection, "PRAGMA journal_mode;"));
        Assert.Equal(1L, Query(connection, "SELECT version FROM schema_version;"));
        var tables = QueryColumn(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;");
        Assert.Equal(new[] { "schema_version", "studies", "study_attributes", "trial_attributes", "trial_values", "trials" }, tables);

        Assert.Equal("Minimize", Query(connection, "SELECT direction FROM studies;"));
        Assert.Equal("Diverged", Query(connection, "SELECT status FROM trials;"));
        Assert.Equal("2025-01-02T08:04:05.0000000Z", Query(connection, "SELECT started_at FROM trials;"));
        Assert.Equal(SomeParameters(0), Parameter.FromJson((string)Query(connection, "SELECT parameters_json FROM trials;")!));
        // NaN: NULL plus a flag, so SQL comparisons skip it; infinity: a REAL that compares above every number.
        Assert.Equal(DBNull.Value, Query(connection, "SELECT objective FROM trials;"));
        Assert.Equal(1L, Query(connection, "SELECT objective_is_nan FROM trials;"));
        Assert.Equal(0L, Query(connection, "SELECT validation_metric_is_nan FROM trials;"));
        Assert.Equal("real", Query(connection, "SELECT typeof(train_metric) FROM trials;"));
        Assert.Equal(1L, Query(connection, "SELECT count(*) FROM trials WHERE train_metric > 1e308;"));
        Assert.Equal(DBNull.Value, Query(connection, "SELECT value FROM trial_values;"));
    }

    [Fact]
    public void WithoutAFlushOnEveryCommitWritesStillReachOtherInstances()
    {
        using var writer = new SqliteStudyStorage(_file, new SqliteStudyStorageOptions { FlushEveryCommit = false });
        writer.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        int id = writer.CreateTrial(Study, SomeParameters(0), "TorchMlp", DateTimeOffset.UtcNow);
        writer.ReportIntermediate(id, 0, 0.5);
        using var reader = new SqliteStudyStorage(_file);
        Assert.Equal(0.5, Assert.Single(reader.GetTrial(id).IntermediateValues).Value);
    }

    [Fact]
    public void AFileFromANewerSchemaVersionIsRefused()
    {
        new SqliteStudyStorage(_file).Dispose();
        using (var connection = OpenRaw())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE schema_version SET version = 99;";
            command.ExecuteNonQuery();
        }
        var error = Assert.Throws<StudyStorageException>(() => new SqliteStudyStorage(_file));
        Assert.Equal(StorageFault.Incompatible, error.Fault);
        Assert.Contains("schema version 99", error.Message);
    }

    [Fact]
    public void TheFolderOfTheFileIsCreatedAndDisposedInstancesRefuseWork()
    {
        string nested = Path.Combine(_folder, "a", "b", "study.db");
        var storage = new SqliteStudyStorage(nested);
        Assert.Equal(Path.GetFullPath(nested), storage.Path);
        storage.Dispose();
        storage.Dispose();
        Assert.True(File.Exists(nested));
        Assert.Throws<ObjectDisposedException>(() => storage.GetStudyNames());
    }

    static void WriteOneTrialOfEachKind(IStudyStorage storage)
    {
        var t0 = new DateTimeOffset(2025, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(3);
        int completed = storage.CreateTrial(Study, SomeParameters(0), "TorchMlp", t0);
        storage.ReportIntermediate(completed, 0, 0.7);
        storage.ReportIntermediate(completed, 1, 0.8);
        storage.SetTrialAttribute(completed, "report", """{"best_epoch":1}""");
        storage.FinishTrial(completed, TrialStatus.Completed, 0.79, 0.8, 0.85, 0.05, null, t0.AddSeconds(30), 30);

        int pruned = storage.CreateTrial(Study, SomeParameters(1), "TorchMlp", t0.AddSeconds(1));
        storage.ReportIntermediate(pruned, 0, 0.5);
        storage.FinishTrial(pruned, TrialStatus.Pruned, 0.5, 0.5, 0.55, 0.05, null, t0.AddSeconds(5), 4);

        int failed = storage.CreateTrial(Study, SomeParameters(2), "FastTree", t0.AddSeconds(2));
        storage.FinishTrial(failed, TrialStatus.Failed, null, null, null, null, "System.OutOfMemoryException: ünïcødé ✗", t0.AddSeconds(3), 1);

        int diverged = storage.CreateTrial(Study, SomeParameters(3), "TorchMlp", t0.AddSeconds(3));
        storage.ReportIntermediate(diverged, 0, double.NaN);
        storage.FinishTrial(diverged, TrialStatus.Diverged, double.NaN, double.NaN, double.NegativeInfinity, null, "loss is NaN", t0.AddSeconds(4), 1);

        int running = storage.CreateTrial(Study, SomeParameters(4), "LightGbm", t0.AddSeconds(4));
        storage.ReportIntermediate(running, 0, 0.6);
    }

    SqliteConnection OpenRaw() => SqliteFile.Open(_file);

    static object? Query(SqliteConnection connection, string sql) => SqliteFile.Query(connection, sql);

    static List<string> QueryColumn(SqliteConnection connection, string sql) => SqliteFile.Column(connection, sql);
}
