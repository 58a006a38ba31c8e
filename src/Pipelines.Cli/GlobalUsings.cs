// What a run is (settings, plan, data, folder): every folder of the CLI reads it, and it reads no other CLI folder.
global using Pipelines.Cli.Runs;
// Spectre.Console.Cli's commands and [CommandOption], and [Description], which every settings class carries.
global using Spectre.Console.Cli;
global using System.ComponentModel;
// Framework and ML.NET namespaces that many files read.
global using Microsoft.ML;
global using System.Globalization;
