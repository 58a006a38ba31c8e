// What a run is (settings, plan, data, folder): every folder of the CLI reads it, and it reads no other CLI folder.
global using Pipelines.Cli.Runs;
