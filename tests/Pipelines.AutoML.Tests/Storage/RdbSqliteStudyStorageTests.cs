using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Microsoft.Data.Sqlite;
using Pipelines.AutoML.Storage;

namespace Pipelines.AutoML.Tests.Storage;

/// <summary>
/// The storage contract for <see cref="RdbStudyStorage"/> on one SQLite file (every handle its own instance and
/// connection), plus what the file shows: Optuna's tables and versions, a revision it cannot read refused, and a
/// study file of the schema before Optuna's still opened by the factory.
/// </summary>
public sealed class RdbSqliteStudyStorageTests : StudyStorageContractTests
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "pipelines-storage-tests", Guid.NewGuid().ToString("N"));
    readonly string _file;

    public RdbSqliteStudyStorageTests() => _file = Path.Combine(_folder, "study.db");

    protected override IStudyStorage OpenHandle(StudyStorageOptions options) => RdbStudyStorage.Sqlite(_file,
        new SqliteStudyStorageOptions { Worker = options.Worker, Clock = options.Clock, HeartbeatTimeout = options.HeartbeatTimeout });

    public override void Dispose()
    {
        base.Dispose();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void TheFileHasOptunasTablesAndVersions()
    {
        using (var storage = StudyStorageFactory.Open("sqlite:///" + _file))
        {
            Assert.IsType<RdbStudyStorage>(Assert.IsType<RetryingStudyStorage>(storage).Inner);
            storage.CreateOrOpenStudy(Study, OptimizationDirection.Minimize, "rmse", SpaceJson);
            int id = storage.CreateTrial(Study, SomeParameters(0), "TorchMlp", new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)));
            storage.ReportIntermediate(id, 0, double.PositiveInfinity);
            storage.FinishTrial(id, TrialStatus.Completed, 0.25, 0.25, 0.2, -0.05, null, new DateTimeOffset(2025, 1, 2, 8, 5, 5, TimeSpan.Zero), 60);
        }
        using var connection = OpenRaw();
        var tables = Column(connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;");
        Assert.Equal(new[]
        {
            "alembic_version", "studies", "study_directions", "study_system_attributes", "study_user_attributes", "trial_heartbeats",
            "trial_intermediate_values", "trial_params", "trial_system_attributes", "trial_user_attributes", "trial_values", "trials", "version_info",
        }, tables);
        Assert.Equal("v3.0.0.d", Query(connection, "SELECT version_num FROM alembic_version;"));
        Assert.Equal("12|3.1.0", Query(connection, "SELECT schema_version || '|' || library_version FROM version_info;"));
        Assert.Equal("MINIMIZE", Query(connection, "SELECT direction FROM study_directions;"));
        Assert.Equal("0|COMPLETE|2025-01-02 08:04:05.000000|2025-01-02 08:05:05.000000",
            Query(connection, "SELECT number || '|' || state || '|' || datetime_start || '|' || datetime_complete FROM trials;"));
        Assert.Equal("FINITE 0.25", Query(connection, "SELECT value_type || ' ' || value FROM trial_values;"));
        Assert.Equal("INF_POS", Query(connection, "SELECT intermediate_value_type || coalesce(intermediate_value, '') FROM trial_intermediate_values;"));
        Assert.Equal("""{"name":"IntDistribution","attributes":{"log":false,"step":1,"low":16,"high":16}}""",
            Query(connection, "SELECT distribution_json FROM trial_params WHERE param_name = 'batch_size';"));
        Assert.Equal("\"TorchMlp\"", Query(connection, $"SELECT value_json FROM trial_system_attributes WHERE key = '{OptunaAttributes.Trainer}';"));
    }

    [Fact]
    public void AStudyOfAnOptunaRevisionItCannotReadIsRefused()
    {
        RdbStudyStorage.Sqlite(_file).Dispose();
        using (var connection = OpenRaw())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE alembic_version SET version_num = 'v9.0.0.a';";
            command.ExecuteNonQuery();
        }
        var error = Assert.Throws<StudyStorageException>(() => StudyStorageFactory.Open(_file));
        Assert.Equal(StorageFault.Incompatible, error.Fault);
        Assert.Contains("revision 'v9.0.0.a'", error.Message);
    }

    [Fact]
    public void AStudyFileOfTheSchemaBeforeOptunasStillResumes()
    {
        // Written by SqliteStudyStorage (schema version 1) before studies moved to Optuna's schema; never rewritten.
        Directory.CreateDirectory(_folder);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Storage", "Fixtures", "study-schema-1.db"), _file);
        using var storage = StudyStorageFactory.Open(_file);
        Assert.IsType<SqliteStudyStorage>(Assert.IsType<RetryingStudyStorage>(storage).Inner);
        var study = storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", SpaceJson);
        Assert.Equal("binary", study.Attributes["task"]);
        var trials = storage.GetTrials(Study);
        Assert.Equal(new[] { TrialStatus.Completed, TrialStatus.Pruned, TrialStatus.Failed, TrialStatus.Running }, trials.Select(t => t.Status));
        Assert.Equal(new[] { 0.7, 0.8 }, trials[0].IntermediateValues.Select(v => v.Value));
        Assert.Equal(SomeParameters(1), trials[1].Parameters);
        Assert.Equal("7", trials[0].Attributes[TrialAttributes.Seed]);
        Assert.Single(storage.RecoverInterruptedTrials(Study, TimeSpan.Zero));
        int next = storage.CreateTrial(Study, SomeParameters(5), "FastTree", DateTimeOffset.UtcNow);
        Assert.True(next > trials.Max(t => t.Id));
    }

    SqliteConnection OpenRaw() => SqliteFile.Open(_file);

    static object? Query(SqliteConnection connection, string sql) => SqliteFile.Query(connection, sql);

    static List<string> Column(SqliteConnection connection, string sql) => SqliteFile.Column(connection, sql);
}
