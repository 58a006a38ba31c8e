using System.Security;
using System.Text;

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
        var xml = new StringBuilder();
        xml.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">");
        xml.AppendLine($"  <!-- Written by `pipelines {Comment(command)}`: `dotnet run` here predicts the data file's first row with ../model.zip. -->");
        xml.AppendLine("  <PropertyGroup>");
        xml.AppendLine("    <OutputType>Exe</OutputType>");
        xml.AppendLine($"    <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>");
        xml.AppendLine("    <ImplicitUsings>enable</ImplicitUsings>");
        xml.AppendLine("    <Nullable>enable</Nullable>");
        xml.AppendLine("  </PropertyGroup>");
        xml.AppendLine("  <ItemGroup>");
        foreach (var p in packages)
        {
            xml.AppendLine($"    <!-- {Comment(p.Why)} -->");
            xml.AppendLine($"    <PackageReference Include=\"{Escape(p.Id)}\" Version=\"{Escape(p.Version)}\" />");
        }
        xml.AppendLine("  </ItemGroup>");
        xml.AppendLine("  <ItemGroup>");
        xml.AppendLine($"    <None Include=\"..{Path.DirectorySeparatorChar}model.zip\" Link=\"model.zip\" CopyToOutputDirectory=\"PreserveNewest\" />");
        xml.AppendLine("  </ItemGroup>");
        xml.AppendLine("</Project>");
        File.WriteAllText(path, xml.ToString());
    }

    static string Escape(string text) => SecurityElement.Escape(text);

    /// <summary>XML comments take any text but "--".</summary>
    static string Comment(string text) => text.Replace("--", "- -");
}
