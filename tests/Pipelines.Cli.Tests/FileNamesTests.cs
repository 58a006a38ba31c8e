using Microsoft.ML;
using Microsoft.ML.Data;
using Onnx;
using Pipelines.Testing;

namespace Pipelines.Cli.Tests;

/// <summary>
/// What a user of <see cref="FileNamesRun"/> sees: the model takes the file's columns by the header's names, predicts
/// the file's classes (good/bad), and model.onnx does the same through ONNX Runtime.
/// </summary>
public sealed class FileNamesTests(FileNamesRun run) : IClassFixture<FileNamesRun>
{
    /// <summary>The file as a plain ML.NET app reads it: its header's names, numbers as Single, the label as text.</summary>
    static IDataView LoadByHeader(MLContext ml, string path) => ml.Data.LoadFromTextFile(path,
        FileNamesRun.FeatureNames.Select((name, i) => new TextLoader.Column(name, DataKind.Single, i))
            .Append(new TextLoader.Column(FileNamesRun.LabelName, DataKind.String, FileNamesRun.FeatureNames.Length)).ToArray(),
        separatorChar: ',', hasHeader: true);

    [Fact]
    public void APlainMLNetAppScoresTheFileByItsHeaderAndGetsTheClassNames()
    {
        run.Result.AssertExitCode(0);
        var ml = new MLContext(seed: 1);
        var data = LoadByHeader(ml, run.Dataset);
        var scored = Outputs.LoadModel(ml, run.Output).Transform(data);
        var predicted = scored.GetColumn<string>("PredictedLabel").ToArray();
        var truth = data.GetColumn<string>(FileNamesRun.LabelName).ToArray();
        Assert.Equal(new[] { "bad", "good" }, predicted.Distinct().Order());
        double accuracy = predicted.Zip(truth).Count(p => p.First == p.Second) / (double)truth.Length;
        Assert.True(accuracy > 0.85, $"accuracy {accuracy:F3}{Environment.NewLine}{run.Result}");
        // Probability is for the positive class, the rarer "bad" (malignant).
        var probability = scored.GetColumn<float>("Probability").ToArray();
        Assert.All(predicted.Zip(probability), p => Assert.Equal(p.Second > 0.5f, p.First == "bad"));
    }

    [Fact]
    public void TheOnnxModelTakesTheHeadersColumnsAndAgreesWithModelZip()
    {
        run.Result.AssertExitCode(0);
        var bytes = File.ReadAllBytes(Path.Combine(run.Output, "model.onnx"));
        OnnxChecker.AssertValid(bytes);
        Assert.Equal(FileNamesRun.FeatureNames, ModelProto.Parser.ParseFrom(bytes).Graph.Input.Select(i => i.Name));

        var ml = new MLContext(seed: 1);
        var data = LoadByHeader(ml, run.Dataset);
        var expected = Outputs.LoadModel(ml, run.Output).Transform(data);
        var actual = OnnxScoring.Run(bytes, data);
        Assert.Equal(expected.GetColumn<string>("PredictedLabel").ToArray(), (string[])actual["PredictedLabel.output"]);
        var probability = expected.GetColumn<float>("Probability").ToArray();
        var onnxProbability = (float[])actual["Probability.output"];
        for (int i = 0; i < probability.Length; i++)
            Assert.True(Math.Abs(probability[i] - onnxProbability[i]) <= 1e-4, $"row {i}: model.zip {probability[i]}, ONNX {onnxProbability[i]}");
    }

    [Fact]
    public void ProgramCsNamesEachColumnAsTheFileDoesOnAValidIdentifier()
    {
        var code = File.ReadAllText(Outputs.ProgramCs(run.Output));
        var properties = new[] { "XBox", "XBox2", "XBox3", "Größe", "名前Cm", "Label", "Features", "QualityGrade" };
        var names = FileNamesRun.FeatureNames.Append(FileNamesRun.LabelName).ToArray();
        for (int i = 0; i < names.Length; i++)
        {
            Assert.Contains($"[LoadColumn({i}), ColumnName(\"{names[i]}\")]", code);
            Assert.Matches($@"public (float|string) {properties[i]} \{{ get; set; \}}", code);
        }
        Assert.Contains("public string PredictedLabel", code);
        Assert.Contains("// the probability of \"bad\"", code);
    }

    [Fact]
    public void TheConsoleProjectReferencesTheRunsPackagesAtTheirVersions()
    {
        var project = File.ReadAllText(Path.Combine(Outputs.ConsoleApp(run.Output), "Cells.ConsoleApp.csproj"));
        Assert.Contains($"<PackageReference Include=\"Microsoft.ML\" Version=\"{PackageVersions.MicrosoftML}\" />", project);
        Assert.Contains($"<PackageReference Include=\"Pipelines.Torch\" Version=\"{PackageVersions.PipelinesTorch}\" />", project);
        Assert.Contains($"<PackageReference Include=\"{PackageVersions.TorchBackendPackage}\" Version=\"{PackageVersions.TorchSharp}\" />", project);
        Assert.DoesNotContain("FastTree", project);
        Assert.Contains("model.zip", project);
    }

    [Fact]
    public async Task TheConsoleProjectBuildsAndPredictsTheFirstRowFromACleanFolder()
    {
        run.Result.AssertExitCode(0);
        // As a user gets it: model.zip and the project, away from this repository (none of its build files apply).
        var clean = Directory.CreateDirectory(run.Temp.File("clean")).FullName;
        File.Copy(Path.Combine(run.Output, "model.zip"), Path.Combine(clean, "model.zip"));
        var app = Directory.CreateDirectory(Path.Combine(clean, Path.GetFileName(Outputs.ConsoleApp(run.Output)))).FullName;
        foreach (var file in Directory.GetFiles(Outputs.ConsoleApp(run.Output))) File.Copy(file, Path.Combine(app, Path.GetFileName(file)));

        // Pipelines.Torch is not published: a feed packed from this build stands in for nuget.org. Restore extracts into
        // a package folder of its own, with the machine's as a read-only fallback for the rest, so the machine's cache
        // never holds (and never serves) a Pipelines.Torch left over from another build.
        var feed = run.Temp.File("feed");
        var pack = await Tool.Dotnet(Tool.RepoRoot, new Dictionary<string, string>(),
            "pack", Path.Combine("src", "Pipelines.Torch"), "-c", Tool.Configuration, "--no-build", "--nologo", "-o", feed);
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed:{Environment.NewLine}{pack.StdOut}{pack.StdErr}");
        var machine = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var stale = Path.Combine(machine, "pipelines.torch", PackageVersions.PipelinesTorch);
        Assert.False(Directory.Exists(stale), $"{stale} would be used instead of this build's Pipelines.Torch; delete it.");
        File.WriteAllText(Path.Combine(clean, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><add key="pipelines-this-build" value="{feed}" /></packageSources>
              <fallbackPackageFolders><add key="machine" value="{machine}" /></fallbackPackageFolders>
            </configuration>
            """);

        var (exitCode, stdout, stderr) = await Tool.Dotnet(app, new Dictionary<string, string> { ["NUGET_PACKAGES"] = run.Temp.File("packages") }, "run", "--nologo");
        Assert.True(exitCode == 0, $"dotnet run failed:{Environment.NewLine}{stdout}{stderr}");
        var ml = new MLContext(seed: 1);
        var first = Outputs.LoadModel(ml, run.Output).Transform(ml.Data.TakeRows(LoadByHeader(ml, run.Dataset), 1));
        Assert.Contains($"PredictedLabel: {first.GetColumn<string>("PredictedLabel").Single()}, Score: ", stdout);
    }

    [Fact]
    public void TheSummarySaysWhichClassTheProbabilityIsFor()
    {
        Assert.Contains("Probability is the probability of 'bad'", run.Result.StdOut);
        Assert.Contains(FileNamesRun.LabelName, File.ReadAllText(Path.Combine(run.Output, "report.html")));
    }
}
