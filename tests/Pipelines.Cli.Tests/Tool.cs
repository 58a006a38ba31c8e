using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Pipelines.Cli.Tests;

/// <summary>Runs the built `pipelines` executable (dotnet pipelines.dll), as a user would, with output redirected.</summary>
public static class Tool
{
    public static string Dll { get; } = typeof(Tool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "PipelinesDll").Value!;

    public static string RepoRoot { get; } = Pipelines.Testing.RepositoryPaths.Root;

    public static string Dataset(string file) => Path.Combine(RepoRoot, "datasets", file);

    /// <summary>Runs to the end (or kills after <paramref name="timeout"/>, failing the test) and returns what it printed.</summary>
    public static ToolResult Run(params string[] args) => Run(TimeSpan.FromMinutes(3), args);

    public static ToolResult Run(TimeSpan timeout, params string[] args) => Run(timeout, new Dictionary<string, string>(), args);

    /// <summary>Runs to the end with extra environment variables.</summary>
    public static ToolResult Run(IReadOnlyDictionary<string, string> environment, params string[] args) => Run(TimeSpan.FromMinutes(3), environment, args);

    static ToolResult Run(TimeSpan timeout, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        using var process = Start(environment, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pipelines {string.Join(' ', args)} ran longer than {timeout}.");
        }
        process.WaitForExit();
        return new ToolResult(process.ExitCode, output.Result, error.Result, args);
    }

    /// <summary>Starts the tool and returns at once, for tests that interrupt it.</summary>
    public static Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>Starts the tool with extra environment variables and returns at once.</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The tool must decide by itself that output is redirected; nothing here tells it.
        start.Environment.Remove("NO_COLOR");
        start.Environment.Remove("COLUMNS");
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    /// <summary>
    /// Builds and runs the run's Program.cs (from <paramref name="runOutput"/>'s console project) with model.zip in a
    /// console app of its own that references ML.NET (the version of Directory.Build.props), <paramref name="packages"/>
    /// (at the same version) and Pipelines.Torch as a project, so it tests the code without packing Pipelines.Torch.
    /// Returns the exit code and what it printed.
    /// </summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunConsumerApp(
        string runOutput, string appFolder, IEnumerable<string> packages, bool buildProjectReferences = true)
    {
        Directory.CreateDirectory(appFolder);
        File.Copy(Outputs.ProgramCs(runOutput), Path.Combine(appFolder, "Program.cs"));
        File.Copy(Path.Combine(runOutput, "model.zip"), Path.Combine(appFolder, "model.zip"));
        var references = string.Concat(new[] { "Microsoft.ML" }.Concat(packages)
            .Select(p => $"""{Environment.NewLine}    <PackageReference Include="{p}" Version="{PackageVersions.MicrosoftML}" />"""));
        File.WriteAllText(Path.Combine(appFolder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup>{references}
                <None Include="model.zip" CopyToOutputDirectory="PreserveNewest" />
                <ProjectReference Include="{Path.Combine(RepoRoot, "src", "Pipelines.Torch", "Pipelines.Torch.csproj")}" />
              </ItemGroup>
            </Project>
            """);
        var args = buildProjectReferences ? new[] { "run", "--nologo" } : new[] { "run", "--nologo", "-p:BuildProjectReferences=false" };
        return await Dotnet(appFolder, new Dictionary<string, string>(), args);
    }

    /// <summary>Runs the dotnet CLI in <paramref name="folder"/> with extra environment variables; fails the test after 3 minutes.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> Dotnet(string folder, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost()) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The build configuration of the tests and of the tool they run (Debug or Release).</summary>
    public static string Configuration { get; } = typeof(Tool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "Configuration").Value!;

    /// <summary>The dotnet host the tests run on (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

}
