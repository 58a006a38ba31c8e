namespace Pipelines.Cli.Runs;

/// <summary>
/// The run's output folder and the files in it. A folder with settings.json or study.db holds a run: a new run
/// refuses it unless --force, which deletes only the files listed here (never anything else in the folder).
/// </summary>
internal sealed class OutputFolder
{
    public OutputFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    const string ConsoleAppSuffix = ".ConsoleApp";

    public string Path { get; }
    public string Settings => File("settings.json");
    public string StudyDb => File("study.db");
    public string ModelZip => File("model.zip");
    public string ModelOnnx => File("model.onnx");
    public string Leaderboard => File("leaderboard.csv");
    public string TrialsJson => File("trials.json");
    /// <summary>The consumption project, &lt;Name&gt;.ConsoleApp/ as mlnet names it.</summary>
    public string ConsoleApp(string name) => File($"{name}{ConsoleAppSuffix}");
    public string ConsoleProject(string name) => System.IO.Path.Combine(ConsoleApp(name), $"{name}{ConsoleAppSuffix}.csproj");
    public string ConsumptionExample(string name) => System.IO.Path.Combine(ConsoleApp(name), "Program.cs");
    public string ReportHtml => File("report.html");
    public string Plots => File("plots");

    /// <summary>Files of a run; SQLite's side files go with study.db.</summary>
    IEnumerable<string> RunFiles => new[]
    {
        Settings, StudyDb, StudyDb + "-wal", StudyDb + "-shm", StudyDb + "-journal", ModelZip, ModelOnnx, Leaderboard, TrialsJson,
        ReportHtml,
        // Runs before the consumption project wrote Program.cs here.
        File("Program.cs"),
    };

    public bool HoldsRun => System.IO.File.Exists(Settings) || System.IO.File.Exists(StudyDb);

    /// <summary>
    /// Refuses a folder that a live process owns (<see cref="FolderLock"/>), or that holds a run unless
    /// <paramref name="force"/>; checked before any work starts.
    /// </summary>
    public void CheckFreeForNewRun(bool force)
    {
        FolderLock.ThrowIfHeld(Path);
        CheckNoRun(force);
    }

    void CheckNoRun(bool force)
    {
        if (System.IO.File.Exists(Path))
            throw CliException.Input($"The output path {Path} is a file; give a folder with -o|--output.");
        if (HoldsRun && !force)
            throw CliException.Input(
                $"The output folder {Path} holds another run ({(System.IO.File.Exists(Settings) ? "settings.json" : "study.db")}). " +
                $"Continue it with `pipelines resume --output {Path}`, choose another folder with -o, or pass --force to replace it.");
    }

    /// <summary>
    /// Takes the folder for a new run of <paramref name="command"/>: its lock (<see cref="FolderLock.Take"/>, held until
    /// the returned lock is disposed or the process ends), then the folder is created or the run in it cleared (with
    /// force, only the run's own files). It is checked again once owned: a run may have begun in it since
    /// <see cref="CheckFreeForNewRun"/>.
    /// </summary>
    public FolderLock ClaimForNewRun(bool force, string command)
    {
        var owner = FolderLock.Take(Path, command);
        try
        {
            PrepareForNewRun(force);
            return owner;
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    void PrepareForNewRun(bool force)
    {
        CheckNoRun(force);
        if (HoldsRun)
        {
            foreach (var file in RunFiles) System.IO.File.Delete(file);
            if (Directory.Exists(Plots)) Directory.Delete(Plots, recursive: true);
            foreach (var app in Directory.GetDirectories(Path, "*" + ConsoleAppSuffix)) DeleteConsoleApp(app);
        }
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder of an earlier run, for resume and report.</summary>
    public static OutputFolder OfExistingRun(string path, string command)
    {
        var folder = new OutputFolder(path);
        if (!Directory.Exists(folder.Path))
            throw CliException.Input($"The output folder {folder.Path} does not exist.");
        if (!System.IO.File.Exists(folder.Settings))
            throw CliException.Input(
                $"{folder.Path} holds no run to {command}: settings.json is missing. A run starts with " +
                "`pipelines classification`, `pipelines regression` or `pipelines image-classification` and writes settings.json first.");
        return folder;
    }

    /// <summary>The console project a run wrote (its Program.cs, csproj, and what `dotnet run` built); the folder goes if nothing else is in it.</summary>
    static void DeleteConsoleApp(string folder)
    {
        var project = System.IO.Path.Combine(folder, System.IO.Path.GetFileName(folder) + ".csproj");
        if (!System.IO.File.Exists(project)) return;
        System.IO.File.Delete(project);
        System.IO.File.Delete(System.IO.Path.Combine(folder, "Program.cs"));
        foreach (var built in new[] { "bin", "obj" }.Select(d => System.IO.Path.Combine(folder, d)).Where(Directory.Exists))
            Directory.Delete(built, recursive: true);
        if (!Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
    }

    string File(string name) => System.IO.Path.Combine(Path, name);
}
