using Pipelines.Cli.Display;
using Pipelines.Cli.Output;

namespace Pipelines.Cli.Commands;

/// <summary>`pipelines regression`: a numeric label; anything else is an error that names the line.</summary>
internal sealed class RegressionCommand(Terminal terminal, ReportHook report) : TrainCommand(terminal, report)
{
    protected override string CommandName => "regression";
    protected override string DefaultName => "SampleRegression";
}
