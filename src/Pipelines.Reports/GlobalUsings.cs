// ML.NET has an internal Microsoft.ML.PredictionKind; the alias makes ours win wherever Microsoft.ML is imported.
global using PredictionKind = Pipelines.Torch.Data.PredictionKind;
global using Pipelines.AutoML.Trials;
global using Pipelines.AutoML.SearchSpaces;
// Framework and ML.NET namespaces that many files read.
global using System.Globalization;
