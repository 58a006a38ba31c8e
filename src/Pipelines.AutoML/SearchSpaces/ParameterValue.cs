namespace Pipelines.AutoML.SearchSpaces;

/// <summary>One leaf of a trial's parameter tree: its dotted name, and its value as a number when it is one.</summary>
/// <param name="Name">For example "batch_size", or "optimizer.momentum" in a nested space.</param>
/// <param name="Number">The value when the JSON leaf is a number; null for strings, booleans and arrays.</param>
/// <param name="Text">The value as shown on the page (and the category of a non-numeric parameter).</param>
public sealed record ParameterValue(string Name, double? Number, string Text);
