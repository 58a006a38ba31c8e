namespace Pipelines.Cli.Output;

/// <summary>The report writer the application was created with, if any; commands receive it from the command app's registrar.</summary>
internal sealed record ReportHook(IReportWriter? Writer);
