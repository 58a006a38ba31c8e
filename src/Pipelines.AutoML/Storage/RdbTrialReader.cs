using System.Data.Common;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// Reads trials of Optuna's schema back as <see cref="TrialRecord"/>s: the trials row, its objective in
/// trial_values, its curve in trial_intermediate_values, its user attributes as the record's attributes and the
/// system attributes of <see cref="OptunaAttributes"/> for the rest. A trial Optuna itself wrote (no system
/// attributes) reads with its Optuna columns alone.
/// </summary>
internal static class RdbTrialReader
{
    public static List<TrialRecord> Read(DbTransaction transaction, RdbDialect dialect, TrialFilter filter)
    {
        var objectives = Grouped(transaction, $"""
            SELECT v.trial_id, v.value, CAST(v.value_type AS TEXT) FROM trial_values v JOIN trials t ON t.trial_id = v.trial_id
            WHERE {filter.Sql} AND v.objective = 0 ORDER BY v.trial_id;
            """, filter, r => OptunaValue(r, 1, 2));
        var curves = Grouped(transaction, $"""
            SELECT v.trial_id, v.step, v.intermediate_value, CAST(v.intermediate_value_type AS TEXT) FROM trial_intermediate_values v
            JOIN trials t ON t.trial_id = v.trial_id WHERE {filter.Sql} ORDER BY v.trial_id, v.step;
            """, filter, r => new IntermediateValue(r.GetInt32(1), OptunaValue(r, 2, 3)));
        var user = Grouped(transaction, $"""
            SELECT a.trial_id, a."key", a.value_json FROM trial_user_attributes a JOIN trials t ON t.trial_id = a.trial_id
            WHERE {filter.Sql} ORDER BY a.trial_id;
            """, filter, r => KeyValuePair.Create(r.GetString(1), OptunaJson.ReadString(r.GetString(2))));
        var system = Grouped(transaction, $"""
            SELECT a.trial_id, a."key", a.value_json FROM trial_system_attributes a JOIN trials t ON t.trial_id = a.trial_id
            WHERE {filter.Sql} ORDER BY a.trial_id;
            """, filter, r => KeyValuePair.Create(r.GetString(1), r.GetString(2)));

        return RdbSql.Rows(transaction, $"""
            SELECT t.trial_id, CAST(t.state AS TEXT), t.datetime_start, t.datetime_complete FROM trials t WHERE {filter.Sql} ORDER BY t.trial_id;
            """, r =>
            {
                int id = r.GetInt32(0);
                var attributes = system.TryGetValue(id, out var pairs) ? pairs.ToDictionary(p => p.Key, p => p.Value) : new Dictionary<string, string>();
                var record = Trial(id, r.GetString(1), attributes,
                    r.IsDBNull(2) ? null : dialect.ReadTime(r.GetValue(2)), r.IsDBNull(3) ? null : dialect.ReadTime(r.GetValue(3)));
                return record with
                {
                    Objective = objectives.TryGetValue(id, out var o) ? o[0] : Number(attributes, OptunaAttributes.NanObjective),
                    IntermediateValues = curves.TryGetValue(id, out var curve) ? curve : Array.Empty<IntermediateValue>(),
                    Attributes = user.TryGetValue(id, out var own) ? own.ToDictionary(p => p.Key, p => p.Value) : new Dictionary<string, string>(),
                };
            }, filter.Parameters);
    }

    /// <summary>A trial from its state, times and system attributes.</summary>
    static TrialRecord Trial(int id, string state, Dictionary<string, string> system, DateTimeOffset? start, DateTimeOffset? complete) => new()
    {
        Id = id,
        Status = Status(state, system.ContainsKey(OptunaAttributes.Diverged)),
        Parameters = system.TryGetValue(OptunaAttributes.Parameters, out var parameters) ? Parameter.FromJson(parameters) : Parameter.CreateObject(),
        Trainer = system.TryGetValue(OptunaAttributes.Trainer, out var trainer) ? OptunaJson.ReadString(trainer) : null,
        ValidationMetric = Number(system, OptunaAttributes.ValidationMetric),
        TrainMetric = Number(system, OptunaAttributes.TrainMetric),
        GeneralizationGap = Number(system, OptunaAttributes.GeneralizationGap),
        Error = system.TryGetValue(OptunaAttributes.FailReason, out var error) ? OptunaJson.ReadString(error) : null,
        StartedAt = system.TryGetValue(OptunaAttributes.StartedAt, out var s) ? OptunaJson.ReadTime(s) : start ?? DateTimeOffset.UnixEpoch,
        FinishedAt = system.TryGetValue(OptunaAttributes.FinishedAt, out var f) ? OptunaJson.ReadTime(f) : complete,
        DurationSeconds = Number(system, OptunaAttributes.DurationSeconds) ?? (complete - start)?.TotalSeconds ?? 0,
    };

    /// <summary>Optuna's trial states; a WAITING trial (enqueued in Python) has not run, so it reads as Running.</summary>
    static TrialStatus Status(string state, bool diverged) => state switch
    {
        "COMPLETE" => TrialStatus.Completed,
        "PRUNED" => TrialStatus.Pruned,
        "FAIL" => diverged ? TrialStatus.Diverged : TrialStatus.Failed,
        _ => TrialStatus.Running,
    };

    public static string State(TrialStatus status) => status switch
    {
        TrialStatus.Running => "RUNNING",
        TrialStatus.Completed => "COMPLETE",
        TrialStatus.Pruned => "PRUNED",
        _ => "FAIL",
    };

    static double? Number(Dictionary<string, string> system, string key) =>
        system.TryGetValue(key, out var json) ? OptunaJson.ReadNumber(json) : null;

    /// <summary>A value column with its type column (FINITE, INF_POS, INF_NEG, NAN; read CAST AS TEXT for PostgreSQL's enums), as Optuna stores values.</summary>
    static double OptunaValue(DbDataReader reader, int value, int type) => reader.GetString(type) switch
    {
        "INF_POS" => double.PositiveInfinity,
        "INF_NEG" => double.NegativeInfinity,
        "NAN" => double.NaN,
        _ => reader.IsDBNull(value) ? double.NaN : reader.GetDouble(value),
    };

    /// <summary>How Optuna stores a value: (the number or null, its type).</summary>
    public static (object? Value, string Type) Stored(double value) => value switch
    {
        double.PositiveInfinity => (null, "INF_POS"),
        double.NegativeInfinity => (null, "INF_NEG"),
        double.NaN => (null, "NAN"),
        _ => (value, "FINITE"),
    };

    static Dictionary<int, List<T>> Grouped<T>(DbTransaction transaction, string sql, TrialFilter filter, Func<DbDataReader, T> read)
    {
        var byTrial = new Dictionary<int, List<T>>();
        foreach (var (id, row) in RdbSql.Rows(transaction, sql, r => (r.GetInt32(0), read(r)), filter.Parameters))
        {
            if (!byTrial.TryGetValue(id, out var list)) byTrial[id] = list = new List<T>();
            list.Add(row);
        }
        return byTrial;
    }
}
