using System.Globalization;
using Pipelines.Cli;

// Numbers in files and on screen read the same everywhere (0.9561, not 0,9561).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

// The report writer plugs in here (an IReportWriter over Pipelines.Reports); this build has none.
return await CliApp.RunAsync(args, reportWriter: null);
