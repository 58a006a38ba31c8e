namespace Pipelines.Torch;
