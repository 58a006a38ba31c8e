namespace Pipelines.Torch.Data;

/// <summary>Loaders for image datasets stored as pixel arrays.</summary>
public static class ImageDatasets
{
    /// <summary>One image as a row: pixels scaled to [0, 1] (row-major) and the class number.</summary>
    public sealed class PixelRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public float Label { get; set; }
    }

    /// <summary>
    /// MNIST-format images and labels (IDX, optionally gzip) as an IDataView with <c>Features</c> (known-size
    /// Single vector of height x width pixels in [0, 1]) and <c>Label</c> (the class number as Single; map it to a
    /// key with MapValueToKey for multiclass trainers).
    /// </summary>
    public static IDataView LoadIdx(MLContext mlContext, string imagesPath, string labelsPath, int? maxImages = null)
    {
        var images = IdxReader.Read(imagesPath, maxImages);
        var labels = IdxReader.Read(labelsPath, maxImages);
        if (images.Shape.Length != 3)
            throw new InvalidDataException($"'{imagesPath}' has shape {string.Join(" x ", images.Shape)}; images need 3 dimensions (count x height x width).");
        if (labels.Shape.Length != 1)
            throw new InvalidDataException($"'{labelsPath}' has shape {string.Join(" x ", labels.Shape)}; labels need 1 dimension.");
        if (images.Count != labels.Count)
            throw new InvalidDataException($"'{imagesPath}' has {images.Count} images but '{labelsPath}' has {labels.Count} labels.");

        int size = images.ItemSize;
        var rows = new PixelRow[images.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            var pixels = new float[size];
            for (int j = 0; j < size; j++) pixels[j] = images.Data[i * size + j] / 255f;
            rows[i] = new PixelRow { Features = pixels, Label = labels.Data[i] };
        }
        var schema = SchemaDefinition.Create(typeof(PixelRow));
        schema[nameof(PixelRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, images.Shape[1], images.Shape[2]);
        return mlContext.Data.LoadFromEnumerable(rows, schema);
    }
}
