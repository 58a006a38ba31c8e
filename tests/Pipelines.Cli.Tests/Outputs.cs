using Microsoft.ML;
using Pipelines.AutoML.Inference;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.Cli.Tests;

/// <summary>Reads what a run wrote, as an application or a script would.</summary>
public static class Outputs
{
    public static readonly string[] RunFiles = { "model.zip", "model.onnx", "study.db", "leaderboard.csv", "trials.json", "settings.json", "report.html" };

    /// <summary>The run's consumption project, &lt;Name&gt;.ConsoleApp/ (there is one).</summary>
    public static string ConsoleApp(string folder) => Assert.Single(Directory.GetDirectories(folder, "*.ConsoleApp"));

    /// <summary>The consumption project's Program.cs.</summary>
    public static string ProgramCs(string folder) => Path.Combine(ConsoleApp(folder), "Program.cs");

    /// <summary>Loads model.zip as an app does (the Torch model's output mappings need Pipelines.Torch registered).</summary>
    public static ITransformer LoadModel(MLContext ml, string folder)
    {
        ml.ComponentCatalog.RegisterAssembly(typeof(Pipelines.Torch.TorchCatalog).Assembly);
        return ml.Model.Load(Path.Combine(folder, "model.zip"), out _);
    }

    /// <summary>The data file as the tool loads it: the file's columns under their ML.NET names.</summary>
    public static IDataView LoadData(MLContext ml, string file, string label) => ColumnInference.InferColumns(file, label).LoadData(ml);

    /// <summary>The study's trials, read from study.db (a second reader next to a running tool is fine).</summary>
    public static IReadOnlyList<TrialRecord> Trials(string folder, string study)
    {
        using var storage = StudyStorageFactory.Open(Path.Combine(folder, "study.db"));
        return storage.GetStudy(study) == null ? Array.Empty<TrialRecord>() : storage.GetTrials(study);
    }

    /// <summary>leaderboard.csv as a header and rows of fields (the tool quotes fields with commas).</summary>
    public static (string[] Header, List<string[]> Rows) Leaderboard(string folder)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, "leaderboard.csv"));
        return (SplitCsv(lines[0]), lines.Skip(1).Select(SplitCsv).ToList());
    }

    static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }
}
