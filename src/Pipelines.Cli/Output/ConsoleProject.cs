using System.Xml.Linq;
using Pipelines.AutoML.Export;

namespace Pipelines.Cli.Output;

/// <summary>
/// The consumption project's csproj, as mlnet writes one: a console app on the .NET the tool runs on, referencing
/// exactly the packages and versions the run used (<see cref="AppPackages"/>), with the run's model.zip beside its
/// program, so `dotnet run` in the folder builds and predicts as it is.
/// </summary>
internal static class ConsoleProject
{
    public static void Write(string path, string command, IReadOnlyList<AppPackage> packages)
    {
        var properties = new XElement("PropertyGroup",
            new XElement("OutputType", "Exe"),
            new XElement("TargetFramework", $"net{Environment.Version.Major}.0"),
            new XElement("ImplicitUsings", "enable"),
            new XElement("Nullable", "enable"));
        var references = new XElement("ItemGroup", packages.SelectMany(p => new XNode[]
        {
            new XComment($" {Comment(p.Why)} "),
            new XElement("PackageReference", new XAttribute("Include", p.Id), new XAttribute("Version", p.Version)),
        }));
        var model = new XElement("ItemGroup", new XElement("None",
            new XAttribute("Include", "../model.zip"), new XAttribute("Link", "model.zip"), new XAttribute("CopyToOutputDirectory", "PreserveNewest")));
        var project = new XElement("Project", new XAttribute("Sdk", "Microsoft.NET.Sdk"),
            new XComment($" Written by `pipelines {Comment(command)}`: `dotnet run` here predicts the data file's first row with ../model.zip. "),
            properties, references, model);
        AtomicFile.WriteAllText(path, project + Environment.NewLine);
    }

    /// <summary>XML comments take any text but "--".</summary>
    static string Comment(string text) => text.Replace("--", "- -");
}
