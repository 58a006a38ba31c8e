using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.Torch.Data;

namespace Pipelines.Cli.Runs;

/// <summary>
/// The search spaces the CLI sets on the experiment: a trainer's default space with the --search-space file's
/// parameters put in, then --batch-sizes and --epochs for the Torch trainers (torch-mlp, torch-cnn). Trainers without
/// any of these keep the experiment's own default space.
/// </summary>
internal static class SearchSpacePlan
{
    /// <summary>Reads a --search-space file: one object, keyed by trainer name.</summary>
    public static JsonObject ReadFile(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw CliException.Input($"Search-space file '{full}' was not found.");
        try
        {
            return JsonNode.Parse(File.ReadAllText(full), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw CliException.Input($"Search-space file '{full}' must hold one JSON object keyed by trainer name, e.g. {{\"torch-mlp\": {{\"width\": {{\"type\": \"int\", \"min\": 32, \"max\": 256}}}}}}.");
        }
        catch (JsonException e)
        {
            throw CliException.Input($"Search-space file '{full}' is not valid JSON: {e.Message}");
        }
    }

    /// <summary>The customized spaces by trainer name; throws <see cref="CliException"/> for anything that does not fit.</summary>
    public static IReadOnlyDictionary<string, NestedSpace> Build(RunSettings settings, IReadOnlyList<TrainerCandidate> trainers, int trainRows, Action<string> warn)
    {
        var spaces = new Dictionary<string, NestedSpace>();
        NestedSpace Current(TrainerCandidate trainer) =>
            spaces.TryGetValue(trainer.Name, out var space) ? space : trainer.DefaultSearchSpace(settings.Task, trainRows);

        foreach (var (name, node) in settings.SearchSpace ?? new JsonObject())
        {
            var trainer = trainers.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw CliException.Input($"--search-space has a space for '{name}', which is not searched. The trainers are: {string.Join(", ", trainers.Select(t => t.Name))}.");
            if (node is not JsonObject parameters)
                throw CliException.Input($"--search-space: '{name}' must be an object of parameters, e.g. {{\"learning_rate\": {{\"type\": \"double\", \"min\": 1e-4, \"max\": 1e-1, \"log_base\": true}}}}.");
            var space = Current(trainer);
            foreach (var (parameter, definition) in parameters)
            {
                if (!space.Contains(parameter))
                    warn($"--search-space: the default space of {trainer.Name} has no '{parameter}' (it has {string.Join(", ", space.Names)}); a trainer ignores parameters it does not read.");
                space = space.With(parameter, Parse(definition, $"{name}.{parameter}"));
            }
            spaces[trainer.Name] = space;
        }

        if (settings.BatchSizes != null || settings.Epochs != null)
        {
            var torch = trainers.Where(t => t.TrainsInEpochs).ToList();
            if (torch.Count == 0)
            {
                var portfolio = settings.IsImageRun ? TrainerPortfolio.Images : TrainerPortfolio.Tabular;
                throw CliException.Input($"--batch-sizes and --epochs tune {string.Join(" and ", portfolio.Where(t => t.TrainsInEpochs).Select(t => t.Name))}, " +
                    $"which is not among the trainers ({string.Join(", ", trainers.Select(t => t.Name))}).");
            }
            foreach (var trainer in torch)
            {
                var space = Current(trainer);
                if (settings.BatchSizes is { } batches)
                    space = space.With(TorchCandidate.BatchSizeParameter, Numeric(() => new NumericSpace(NumericType.Int, batches.Min, batches.Max, powerOfTwo: true), "--batch-sizes", batches));
                if (settings.Epochs is { } epochs)
                    space = space.With(TorchCandidate.EpochsParameter, Numeric(() => new NumericSpace(NumericType.Int, epochs.Min, epochs.Max, logBase: true), "--epochs", epochs));
                spaces[trainer.Name] = space;
            }
        }
        return spaces;
    }

    /// <summary>The most epochs a trial of the Torch trainers may train, for Hyperband's maximum resource (1 without them).</summary>
    public static int MaxEpochs(IReadOnlyList<TrainerCandidate> trainers, IReadOnlyDictionary<string, NestedSpace> spaces, PredictionKind task, int trainRows)
    {
        static int? Max(NestedSpace? space) =>
            space != null && space.Contains(TorchCandidate.EpochsParameter) && space[TorchCandidate.EpochsParameter] is NumericSpace epochs ? (int)epochs.Max : null;
        // A space without epochs trains the trainer's default number, which its default space covers.
        return trainers.Where(t => t.TrainsInEpochs)
            .Select(t => Max(spaces.GetValueOrDefault(t.Name)) ?? Max(t.DefaultSearchSpace(task, trainRows)) ?? 1)
            .DefaultIfEmpty(1)
            .Max();
    }

    static SearchSpace Parse(JsonNode? definition, string path)
    {
        if (definition is null) throw CliException.Input($"--search-space: {path} is null; give a range ({{\"type\": \"int\", \"min\": 1, \"max\": 8}}) or choices ({{\"choices\": [...]}}).");
        try
        {
            return SearchSpace.FromJson(definition.ToJsonString());
        }
        catch (JsonException e)
        {
            throw CliException.Input($"--search-space: {path} is not a search space: {e.Message}");
        }
    }

    static NumericSpace Numeric(Func<NumericSpace> create, string option, IntRange range)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw CliException.Input($"{option} {range}: {e.Message}");
        }
    }
}
