using System.Data.Common;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// Reads a study of Optuna's schema back as a <see cref="StudyRecord"/>: its direction, the metric, search space and
/// creation time from its system attributes (<see cref="OptunaAttributes"/>), its user attributes as the record's.
/// A study Optuna created reads with metric "value", an empty space and the Unix epoch as creation time.
/// </summary>
internal static class RdbStudyReader
{
    public static StudyRecord? Read(DbTransaction transaction, string studyName)
    {
        var id = RdbSql.Scalar(transaction, "SELECT study_id FROM studies WHERE study_name = @name;", ("@name", studyName));
        if (id is null) return null;
        int studyId = Convert.ToInt32(id);
        var direction = RdbSql.Scalar(transaction, "SELECT CAST(direction AS TEXT) FROM study_directions WHERE study_id = @study AND objective = 0;",
            ("@study", studyId)) as string;
        var system = Attributes(transaction, "study_system_attributes", studyId);
        var user = Attributes(transaction, "study_user_attributes", studyId);
        return new StudyRecord(studyName,
            direction == "MAXIMIZE" ? OptimizationDirection.Maximize : OptimizationDirection.Minimize,
            system.TryGetValue(OptunaAttributes.MetricName, out var metric) ? OptunaJson.ReadString(metric) : "value",
            system.TryGetValue(OptunaAttributes.SearchSpace, out var space) ? OptunaJson.ReadString(space) : "{}",
            system.TryGetValue(OptunaAttributes.CreatedAt, out var created) ? OptunaJson.ReadTime(created) : DateTimeOffset.UnixEpoch)
        {
            Attributes = user.ToDictionary(a => a.Key, a => OptunaJson.ReadString(a.Value)),
        };
    }

    static Dictionary<string, string> Attributes(DbTransaction transaction, string table, int studyId) =>
        RdbSql.Rows(transaction, $"SELECT \"key\", value_json FROM {table} WHERE study_id = @study ORDER BY \"key\";",
            r => KeyValuePair.Create(r.GetString(0), r.GetString(1)), ("@study", studyId)).ToDictionary(p => p.Key, p => p.Value);
}
