using Pipelines.AutoML.Storage;

namespace Pipelines.Cli.Runs;

/// <summary>
/// Where a run's study lives, decided here once: a new run's <c>--storage</c>, else <c>PIPELINES_STORAGE</c>, else
/// study.db in its output folder. settings.json and the study's record keep the URL without its password
/// (<see cref="StudyStorageFactory.WithoutPassword"/>); whoever opens it again gives the password through
/// <c>PGPASSWORD</c> or a <c>.pgpass</c> file.
/// </summary>
internal static class StudyLocation
{
    public const string Variable = "PIPELINES_STORAGE";

    /// <summary>The storage URL a command was given (option, then environment), checked, or null for study.db in the output folder.</summary>
    public static string? Given(string? option)
    {
        var url = string.IsNullOrWhiteSpace(option) ? Environment.GetEnvironmentVariable(Variable) : option;
        if (string.IsNullOrWhiteSpace(url)) return null;
        try
        {
            StudyStorageFactory.Check(url);
        }
        catch (ArgumentException e)
        {
            throw CliException.Input($"--storage ({Variable}): {e.Message}");
        }
        return url.Trim();
    }

    /// <summary>The URL as settings.json keeps it.</summary>
    public static string? ToKeep(string? url) => url is null ? null : StudyStorageFactory.WithoutPassword(url);

    /// <summary>What to open for an existing run: its storage, or study.db in its folder.</summary>
    public static string Of(RunSettings settings, OutputFolder folder) => settings.Storage ?? folder.StudyDb;

    /// <summary>
    /// Before a new run or worker writes anything: the storage opens, and a study already there under that name holds
    /// this run's task and data (<see cref="StudyManifest.Check"/>).
    /// </summary>
    public static void CheckJoinable(string location, RunSettings settings)
    {
        using var storage = Open(location);
        StudyManifest.Check(storage.GetStudy(settings.StudyName), settings);
    }

    /// <summary>The storage, opened; its faults (refused, wrong password, no such database, a schema it cannot read) end the command with exit 1, naming which.</summary>
    public static IStudyStorage Open(string location, StudyStorageOptions? options = null)
    {
        try
        {
            return StudyStorageFactory.Open(location, options ?? StudyDb.Options());
        }
        catch (StudyStorageException e)
        {
            throw CliException.Input(e.Message);
        }
    }
}
