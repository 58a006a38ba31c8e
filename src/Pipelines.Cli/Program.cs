using Pipelines.Cli;
using Pipelines.Cli.Output;

// Numbers in files and on screen read the same everywhere (0.9561, not 0,9561).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

return await CliApp.RunAsync(args, new HtmlReportWriter());
