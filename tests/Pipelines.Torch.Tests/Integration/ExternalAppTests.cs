using System.Globalization;
using System.Text.RegularExpressions;
using Pipelines.Torch.Native;
using Xunit.Abstractions;
using static Pipelines.Torch.Native.LibStdCxxCompat;

namespace Pipelines.Torch.Tests.Integration;

/// <summary>
/// Builds and runs a small ML.NET console app outside the repository, the way a customer would consume
/// Pipelines.Torch, and checks that TorchSharp's native glue loads with no manual step on both delivery paths:
/// the NuGet package (its buildTransitive targets patch the glue at build time) and a project reference
/// (TorchRuntime.EnsureInitialized patches it at run time). On systems whose libstdc++ is new enough the fix must
/// stay out of the way: the app runs and the glue is left as shipped.
/// </summary>
/// <remarks>
/// The app lives in a temporary folder outside the repository, with empty Directory.Build.props/targets, so none of
/// the repository's build settings (which already import the fix for its own apps and tests) apply to it.
/// Both tests are in one class so they never build at the same time.
/// </remarks>
[Trait("Category", "Integration")]
public sealed class ExternalAppTests : IDisposable
{
    const double MinimumAccuracy = 0.9;

    readonly ITestOutputHelper _log;
    readonly string _root;
    readonly string _templates = Path.Combine(TestData.RepoRoot, "tests", "Pipelines.Torch.Tests", "Integration", "ConsumerApp");
    readonly bool _systemNeedsFix = SystemNeedsFix();

    public ExternalAppTests(ITestOutputHelper log)
    {
        _log = log;
        _root = Path.Combine(Path.GetTempPath(), "pipelines-consumer-" + Guid.NewGuid().ToString("N")[..12]);
        var repo = Path.GetFullPath(TestData.RepoRoot).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        Assert.False(Path.GetFullPath(_root).StartsWith(repo, StringComparison.Ordinal),
            $"The consumer app must be built outside the repository, but the temp folder {_root} is inside {repo}.");
        Directory.CreateDirectory(_root);
        // Stop MSBuild's upward search for Directory.Build.props/targets here.
        File.WriteAllText(Path.Combine(_root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(_root, "Directory.Build.targets"), "<Project />\n");
        _log.WriteLine($"work folder: {_root}; system libstdc++: {FindSystemLibStdCxx() ?? "(none found)"}; needs the fix: {_systemNeedsFix}");
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { _log.WriteLine($"could not delete {_root}: {e.Message}"); }
    }

    [Fact]
    public void PackageConsumerGetsTheFixAtBuildTime()
    {
        var version = "0.0.0-test.r" + Guid.NewGuid().ToString("N")[..16];
        var feed = Path.Combine(_root, "feed");
        var app = Path.Combine(_root, "app");
        string? consumerAssets = null;
        try
        {
            var pack = Step("pack", TestData.RepoRoot, "pack", Path.Combine("src", "Pipelines.Torch", "Pipelines.Torch.csproj"),
                "-c", "Release", "-o", feed, "-p:Version=" + version,
                // keeps the per-version .nuspec out of src/Pipelines.Torch/obj
                "-p:NuspecOutputPath=" + Path.Combine(_root, "nuspec") + Path.DirectorySeparatorChar,
                "--disable-build-servers");
            Assert.True(File.Exists(Path.Combine(feed, $"Pipelines.Torch.{version}.nupkg")), "no package in the feed. " + pack.Describe());

            WriteApp(app, $"<PackageReference Include=\"Pipelines.Torch\" Version=\"{version}\" />");
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <!-- No <clear/>: the machine's configured sources still serve every other package. -->
                    <add key="pipelines-test-feed" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            consumerAssets = Path.Combine(app, "obj", "project.assets.json");

            var build = Step("build (package reference)", app, "build", "--disable-build-servers");
            var output = Path.Combine(app, "bin", "Debug", "net10.0");
            var glue = GlueIn(output, build);
            var afterBuild = GetNeedState(glue, RequiredVersion);
            _log.WriteLine($"after build: {RequiredVersion} need is {afterBuild}");
            if (_systemNeedsFix)
            {
                Assert.True(afterBuild == NeedState.Weak,
                    $"The package's build step should have marked {RequiredVersion} weak in {glue}, but it is {afterBuild}. " + build.Describe());
                var pristine = NuGetPackageFolders.FindPackageFile("TorchSharp", NuGetPackageFolders.TorchSharpVersion,
                    Path.Combine("runtimes", "linux-x64", "native", TorchSharpGlue), consumerAssets);
                if (pristine != null)
                    Assert.True(GetNeedState(pristine, RequiredVersion) == NeedState.Strong,
                        $"The copy in the NuGet package folder ({pristine}) must never be patched, only the one in the build output.");
            }
            else
            {
                Assert.True(afterBuild == NeedState.Strong,
                    $"This system's libstdc++ defines {RequiredVersion}, so the build must leave {glue} as shipped, but the need is {afterBuild}.");
            }

            RunAndCheckAccuracy(output);
        }
        finally
        {
            RemoveFromPackageFolders("Pipelines.Torch", version, consumerAssets);
        }
    }

    [Fact]
    public void ProjectReferenceConsumerGetsTheFixAtRunTime()
    {
        var app = Path.Combine(_root, "app");
        var project = Path.GetFullPath(Path.Combine(TestData.RepoRoot, "src", "Pipelines.Torch", "Pipelines.Torch.csproj"));
        WriteApp(app, $"<ProjectReference Include=\"{project}\" />");

        var build = Step("build (project reference)", app, "build", "--disable-build-servers");
        var output = Path.Combine(app, "bin", "Debug", "net10.0");
        var glue = GlueIn(output, build);
        var afterBuild = GetNeedState(glue, RequiredVersion);
        _log.WriteLine($"after build: {RequiredVersion} need is {afterBuild}");
        // buildTransitive does not flow through a ProjectReference: the glue is still as shipped here, so a
        // successful run below proves the runtime fallback is what makes it load.
        Assert.True(afterBuild == NeedState.Strong,
            $"A project-reference build should leave {glue} as shipped ({RequiredVersion} strong), but it is {afterBuild}. " + build.Describe());

        RunAndCheckAccuracy(output);

        var afterRun = GetNeedState(glue, RequiredVersion);
        _log.WriteLine($"after run: {RequiredVersion} need is {afterRun}");
        if (_systemNeedsFix)
            Assert.True(afterRun == NeedState.Weak,
                $"TorchRuntime.EnsureInitialized should have marked {RequiredVersion} weak in {glue} before loading TorchSharp, but it is {afterRun}.");
        else
            Assert.True(afterRun == NeedState.Strong,
                $"This system's libstdc++ defines {RequiredVersion}, so the runtime must leave {glue} as shipped, but the need is {afterRun}.");
    }

    /// <summary>Copies the app template into <paramref name="folder"/> with the given Pipelines.Torch reference.</summary>
    void WriteApp(string folder, string pipelinesReference)
    {
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(_templates, "Program.cs.txt"), Path.Combine(folder, "Program.cs"));
        var project = File.ReadAllText(Path.Combine(_templates, "ConsumerApp.csproj.txt"))
            .Replace("@PIPELINES_REFERENCE@", pipelinesReference)
            .Replace("@TORCHSHARP_VERSION@", NuGetPackageFolders.TorchSharpVersion);
        File.WriteAllText(Path.Combine(folder, "ConsumerApp.csproj"), project);
    }

    void RunAndCheckAccuracy(string output)
    {
        var run = Step("run", output, Path.Combine(output, "ConsumerApp.dll"));
        var match = Regex.Match(run.Output, @"^ACCURACY=([0-9]+(?:\.[0-9]+)?)\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, "The app printed no ACCURACY line. " + run.Describe());
        var accuracy = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        _log.WriteLine($"accuracy: {accuracy:F4}");
        Assert.True(accuracy >= MinimumAccuracy, $"accuracy {accuracy:F4} < {MinimumAccuracy}. " + run.Describe());
    }

    static string GlueIn(string output, ProcessResult build)
    {
        var glue = Path.Combine(output, "runtimes", "linux-x64", "native", TorchSharpGlue);
        Assert.True(File.Exists(glue), $"{glue} is missing from the build output. " + build.Describe());
        return glue;
    }

    /// <summary>Runs one dotnet command, logs its duration, and fails the test with its output unless it succeeded.</summary>
    ProcessResult Step(string name, string workingDirectory, params string[] args)
    {
        var result = DotnetCli.Run(workingDirectory, DotnetCli.DefaultTimeout, args);
        _log.WriteLine($"{name}: {result.Elapsed.TotalSeconds:F1} s, exit {result.ExitCode}{(result.TimedOut ? " (timed out)" : "")}");
        Assert.True(result.Succeeded, $"{name} failed: " + result.Describe());
        return result;
    }

    /// <summary>
    /// Deletes the test version of a package from the package folders restore extracted it into, so test versions
    /// do not pile up in ~/.nuget/packages.
    /// </summary>
    void RemoveFromPackageFolders(string id, string version, string? assetsFile)
    {
        foreach (var folder in NuGetPackageFolders.From(assetsFile))
        {
            var packageFolder = Path.Combine(folder, id.ToLowerInvariant());
            var versionFolder = Path.Combine(packageFolder, version.ToLowerInvariant());
            try
            {
                if (Directory.Exists(versionFolder)) Directory.Delete(versionFolder, recursive: true);
                if (Directory.Exists(packageFolder) && !Directory.EnumerateFileSystemEntries(packageFolder).Any())
                    Directory.Delete(packageFolder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.WriteLine($"could not delete {versionFolder}: {e.Message}");
            }
        }
    }
}
