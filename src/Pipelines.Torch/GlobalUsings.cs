// The namespaces nearly every file of the trainers reads: ML.NET's core and data types, the column contract, the training options, the networks and the runtime.
global using Microsoft.ML;
global using Microsoft.ML.Data;
global using Pipelines.Torch.Data;
global using Pipelines.Torch.Training;
global using Pipelines.Torch.Networks;
global using Pipelines.Torch.Runtime;
