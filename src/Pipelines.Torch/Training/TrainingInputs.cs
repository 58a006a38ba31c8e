using static TorchSharp.torch;

namespace Pipelines.Torch.Training;

/// <summary>
/// The data every Torch trainer feeds its loop: the training rows and the validation rows (a given set or a seeded
/// hold-out fraction), read and checked once, then standardized into tensors on the device.
/// </summary>
internal static class TrainingInputs
{
    /// <summary>Training and validation rows: <see cref="TorchTrainerOptions.ValidationSet"/>, else a seeded hold-out of <see cref="TorchTrainerOptions.ValidationFraction"/>.</summary>
    public static (TabularData Train, TabularData? Validation) Read(IDataView input, ColumnContract contract, TorchTrainerOptions o, int seed)
    {
        if (o.ValidationSet != null)
        {
            contract.CheckCompatible(o.ValidationSet.Schema, "Validation");
            return (TabularData.Read(input, contract, "Training"), TabularData.Read(o.ValidationSet, contract, "Validation"));
        }
        var all = TabularData.Read(input, contract, "Training");
        int validationRows = (int)Math.Floor(all.Rows * o.ValidationFraction);
        if (validationRows == 0 || validationRows >= all.Rows) return (all, null);
        return DataSplit.Split(all, validationRows, seed);
    }

    public static DisposableTensors ToTensors(TabularData train, TabularData? validation, Standardization standardization,
        (float Mean, float Scale) labelScaling, TaskHead head, Device device)
    {
        Tensor Features(TabularData d)
        {
            using var cpu = tensor(standardization.Apply(d.Features), new long[] { d.Rows, d.Dimension });
            return cpu.to(device);
        }
        Tensor Labels(TabularData d) => head.LabelTensor(
            head.Kind == PredictionKind.Regression ? d.Labels.Select(v => (v - labelScaling.Mean) / labelScaling.Scale).ToArray() : d.Labels, device);

        return new DisposableTensors(new TrainingTensors(
            Features(train), Labels(train),
            validation is null ? null : Features(validation),
            validation is null ? null : Labels(validation)));
    }

    public sealed class DisposableTensors(TrainingTensors value) : IDisposable
    {
        public TrainingTensors Value { get; } = value;
        public void Dispose()
        {
            Value.TrainFeatures.Dispose();
            Value.TrainLabels.Dispose();
            Value.ValidationFeatures?.Dispose();
            Value.ValidationLabels?.Dispose();
        }
    }
}
