using Pipelines.Cli.Display;
using Pipelines.Cli.Output;

namespace Pipelines.Cli.Commands;

/// <summary>`pipelines classification`: binary or multiclass, decided from the label as mlnet does.</summary>
internal sealed class ClassificationCommand(Terminal terminal, ReportHook report) : TrainCommand(terminal, report)
{
    protected override string CommandName => "classification";
    protected override string DefaultName => "SampleClassification";
}
