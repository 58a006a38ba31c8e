namespace Pipelines.Cli.Commands;

/// <summary>The help text of the study-storage options, which the search, worker and export commands share.</summary>
internal static class StudyOptionText
{
    public const string Storage = "Where the study lives: sqlite:///PATH or postgresql://USER:PASSWORD@HOST:PORT/DATABASE (password and port may be left out; also from PIPELINES_STORAGE). " +
        "The password may come from PGPASSWORD or a .pgpass file instead; it is never written to settings.json, logs or reports.";
}
