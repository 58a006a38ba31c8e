using System.Text.Encodings.Web;
using System.Text.Json;
using Pipelines.AutoML.Export;

namespace Pipelines.Cli.Output;

/// <summary>settings.json: the run's resolved settings, written before the first trial and read back by resume and report.</summary>
internal static class SettingsFile
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Paths and versions stay readable ("+", non-ASCII folder names) instead of \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, RunSettings settings)
    {
        // Written whole or not at all: a run killed while writing must not leave half a file that resume cannot read.
        AtomicFile.WriteAllText(path, ToJson(settings));
    }

    public static RunSettings Read(string path) => FromJson(File.ReadAllText(path), path);

    /// <summary>The settings as settings.json holds them (also the record a shared study keeps of its run).</summary>
    public static string ToJson(RunSettings settings) => JsonSerializer.Serialize(settings, Options);

    /// <summary>Settings from their JSON; <paramref name="source"/> names where it came from in errors.</summary>
    public static RunSettings FromJson(string json, string source)
    {
        try
        {
            var settings = JsonSerializer.Deserialize<RunSettings>(json, Options)
                ?? throw new JsonException("the file holds null");
            if (settings.Format != RunSettings.CurrentFormat)
                throw CliException.Input($"{source} has settings format {settings.Format}; this version of pipelines reads format {RunSettings.CurrentFormat}.");
            return settings;
        }
        catch (JsonException e)
        {
            throw CliException.Input($"{source} cannot be read: {e.Message}");
        }
    }
}
