namespace Pipelines.Cli.Tests;

/// <summary>
/// One image-classification run that several tests inspect: four Fashion-MNIST classes with distinct shapes (40
/// training and 10 test images each), small networks and few epochs so that it takes seconds. Pruning is off so that
/// every trial completes and the report has enough trials for every plot, parameter importance included.
/// </summary>
public sealed class ImageRun : IDisposable
{
    public static readonly string[] Classes = { "Bag", "Sneaker", "T-shirt_top", "Trouser" };
    readonly TempFolder _temp = new();

    public ImageRun()
    {
        Train = ImageFolders.Subset(_temp.File("train"), Classes, skip: 0, take: 40);
        Test = ImageFolders.Subset(_temp.File("test"), Classes, skip: 40, take: 10);
        Output = _temp.File("run");
        var space = _temp.Write("space.json", new[] { """{ "torch-cnn": { "width": { "type": "int", "min": 16, "max": 16 }, "depth": { "type": "int", "min": 1, "max": 2 } } }""" });
        Result = Tool.Run("image-classification", "--dataset", Train + Path.DirectorySeparatorChar, "--test-dataset", Test,
            "--epochs", "2..3", "--batch-sizes", "16..32", "--search-space", space, "--max-trials", "4", "--pruner", "none", "--seed", "3",
            "--name", "images", "-o", Output);
    }

    public string Train { get; }
    public string Test { get; }
    public string Output { get; }
    public ToolResult Result { get; }
    public TempFolder Temp => _temp;

    public void Dispose() => _temp.Dispose();
}
