namespace Pipelines.Cli.Commands;

/// <summary>The help text of the study-storage options, which the search, worker and export commands share.</summary>
internal static class StudyOptionText
{
    // Spectre reads descriptions as markup: [[ and ]] are literal brackets.
    public const string Storage = "Where the study lives: sqlite:///PATH or postgresql://USER[[:PASSWORD]]@HOST[[:PORT]]/DATABASE (also from PIPELINES_STORAGE). " +
        "The password may come from PGPASSWORD or a .pgpass file instead; it is never written to settings.json, logs or reports.";
}
