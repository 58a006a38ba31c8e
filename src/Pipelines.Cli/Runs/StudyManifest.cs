using System.Text.Json;
using Pipelines.AutoML.Storage;
using Pipelines.Cli.Output;

namespace Pipelines.Cli.Runs;

/// <summary>
/// What a study records of the run that created it, so that workers elsewhere run the same experiment: the run's
/// settings (settings.json's content, the storage URL without password) and the SHA-256 of each data source. Kept
/// as study attributes under the keys below; a run or worker whose task or data differs from them is refused.
/// </summary>
internal static class StudyManifest
{
    /// <summary>The settings JSON of the run that created the study.</summary>
    public const string SettingsKey = "pipelines_settings";

    /// <summary>{"path": "sha256", ...} for the data set, validation and test files.</summary>
    public const string DataKey = "pipelines_data_sha256";

    /// <summary>The attributes a new study is created with.</summary>
    public static Dictionary<string, string> For(RunSettings settings) => new()
    {
        [SettingsKey] = SettingsFile.ToJson(settings),
        [DataKey] = JsonSerializer.Serialize(Checksums(settings)),
    };

    /// <summary>The settings a study was created with, for a worker joining it.</summary>
    public static RunSettings SettingsOf(StudyRecord study, string location) =>
        study.Attributes.TryGetValue(SettingsKey, out var json)
            ? SettingsFile.FromJson(json, $"the settings recorded in study '{study.Name}'")
            : throw CliException.Input($"Study '{study.Name}' in {StudyStorageFactory.Describe(location)} was not created by a pipelines search " +
                "(it records no settings): start it with `pipelines classification|regression|image-classification ... --storage URL --study NAME`.");

    /// <summary>Refuses to run <paramref name="settings"/> on a study that holds another task or other data.</summary>
    public static void Check(StudyRecord? study, RunSettings settings)
    {
        if (study is null || !study.Attributes.TryGetValue(SettingsKey, out var json)) return;
        var recorded = SettingsFile.FromJson(json, $"the settings recorded in study '{study.Name}'");
        if (recorded.Task != settings.Task || recorded.Command != settings.Command || recorded.LabelColumn != settings.LabelColumn)
            throw CliException.Input($"Study '{study.Name}' holds a {recorded.Command} run ({recorded.Task}, label '{recorded.LabelColumn}'), " +
                $"not this {settings.Command} run ({settings.Task}, label '{settings.LabelColumn}'): choose another --study.");
        var stored = study.Attributes.TryGetValue(DataKey, out var data) ? JsonSerializer.Deserialize<Dictionary<string, string>>(data)! : new();
        var local = Checksums(settings);
        if (!stored.Values.Order().SequenceEqual(local.Values.Order()))
            throw CliException.Input($"Study '{study.Name}' was created on other data ({Describe(stored)}) than this machine has " +
                $"({Describe(local)}): every worker needs the same data set, byte for byte.");
    }

    static Dictionary<string, string> Checksums(RunSettings settings) =>
        new[] { settings.Dataset, settings.ValidationDataset, settings.TestDataset }.OfType<string>().Distinct()
            .ToDictionary(path => path, DataChecksum.Of);

    static string Describe(Dictionary<string, string> checksums) =>
        string.Join(", ", checksums.Select(c => $"{Path.GetFileName(c.Key)} sha256 {c.Value[..12]}…"));
}
