namespace Pipelines.Reports.Plots;

/// <summary>A plot as PNG bytes, with the file name it gets under plots/ and the alt text the page gives it.</summary>
internal sealed record RenderedPlot(string FileName, string AltText, byte[] Png);
