// ML.NET has an internal Microsoft.ML.PredictionKind; the alias makes ours win wherever Microsoft.ML is imported.
global using PredictionKind = Pipelines.Torch.Data.PredictionKind;
// The namespaces nearly every file of the engine reads: ML.NET's core, sampled points and spaces, trial records.
global using Microsoft.ML;
global using Pipelines.AutoML.SearchSpaces;
global using Pipelines.AutoML.Trials;
// ML.NET's [Range] and [Choice], which every candidate's options class carries.
global using Microsoft.ML.SearchSpace;
// Framework and ML.NET namespaces that many files read.
global using Microsoft.ML.Data;
global using System.Globalization;
