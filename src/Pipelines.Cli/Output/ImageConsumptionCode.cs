using System.Text;
using Pipelines.Torch.Data;
using Pipelines.AutoML.Export;

namespace Pipelines.Cli.Output;

/// <summary>
/// Program.cs for an image-classification run: the model reads Features (the pixels) and Label, so the example shows
/// where pixels come from: Pipelines.Torch's ImageFolder loader for a folder of images read as in training, then a
/// PredictionEngine on one image, with ML.NET's image transforms named as the other way to get the same pixels.
/// </summary>
internal static class ImageConsumptionCode
{
    public static void Write(string path, RunSettings settings, ImageFolderData images, ITransformer savedModel, WinningModel winner)
    {
        var outputs = ConsumptionCode.OutputProperties(savedModel.GetOutputSchema(images.Data.Schema));
        var (c, h, w) = (images.Channels, images.Height, images.Width);
        bool grey = c == 1;
        var code = new StringBuilder();
        ConsumptionCode.AppendHeader(code, settings.Command, settings.Dataset, winner, images: true);
        code.AppendLine();
        code.AppendLine($"// The model reads Features: an image's pixels as {c} x {h} x {w} floats (channels x height x width) in [0, 1],");
        code.AppendLine("// planar (all of the first channel row by row, then the next). Pipelines.Torch's ImageFolder loader makes them from");
        code.AppendLine("// a folder laid out like the training data (one sub-folder per class), reading every image as training did:");
        code.AppendLine($"// {w}x{h} pixels, {(grey ? "grey (colour images are converted)" : "R, G, B (grey images are repeated)")}.");
        code.AppendLine($"var folder = ImageFolder.Load(mlContext, {ConsumptionCode.StringLiteral(settings.Dataset)},");
        code.AppendLine($"    new ImageFolderOptions {{ Width = {w}, Height = {h}, ColorMode = ImageColorMode.{(grey ? "Grayscale" : "Rgb")} }});");
        code.AppendLine("IDataView predictions = model.Transform(folder.Data);");
        code.AppendLine("var paths = predictions.GetColumn<string>(\"ImagePath\").ToList();");
        code.AppendLine("var predicted = predictions.GetColumn<string>(\"PredictedLabel\").ToList();");
        code.AppendLine("for (int i = 0; i < Math.Min(5, paths.Count); i++) Console.WriteLine($\"{paths[i]}: {predicted[i]}\");");
        code.AppendLine();
        code.AppendLine("// One image at a time: a PredictionEngine on ModelInput. ML.NET's image transforms (Microsoft.ML.ImageAnalytics) give");
        code.AppendLine($"// the same pixels: LoadImages, ResizeImages({w}, {h}), " +
            (grey ? "ConvertToGrayscale, ExtractPixels(colorsToExtract: ColorBits.Red, scaleImage: 1f / 255)." : "ExtractPixels(scaleImage: 1f / 255)."));
        code.AppendLine("var engine = mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);");
        code.AppendLine("ModelInput input = mlContext.Data.CreateEnumerable<ModelInput>(folder.Data, reuseRowObject: false).First();");
        code.AppendLine("ModelOutput output = engine.Predict(input);");
        code.AppendLine($"Console.WriteLine({ConsumptionCode.PrintStatement(outputs)});");
        code.AppendLine();
        code.AppendLine("/// <summary>One image: the model reads the columns by these names.</summary>");
        code.AppendLine("public class ModelInput");
        code.AppendLine("{");
        code.AppendLine("    [ColumnName(\"Label\")]");
        code.AppendLine("    public string Label { get; set; } = \"\"; // the class (sub-folder name); not needed to predict");
        code.AppendLine();
        code.AppendLine($"    [ColumnName(\"Features\"), VectorType({c}, {h}, {w})]");
        code.AppendLine("    public float[] Features { get; set; } = [];");
        code.AppendLine("}");
        code.AppendLine();
        ConsumptionCode.AppendModelOutput(code, outputs);
        AtomicFile.WriteAllText(path, code.ToString());
    }
}
