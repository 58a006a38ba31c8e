using System.Diagnostics;
using Pipelines.AutoML.Metrics;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Tuners;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// An AutoML experiment in the spirit of Microsoft's AutoMLExperiment: set the data, task and metric, budget,
/// trainers, tuner, pruner and study, then <see cref="RunAsync"/>. This class is the facade: it collects the settings
/// and assembles a run from the pieces that do the work (<see cref="DataPreparation"/>, <see cref="TrialLoop"/>,
/// <see cref="TellStep"/>, <see cref="RequeuePolicy"/>, <see cref="FinalModel"/>). Batch size and epochs are part of the
/// Torch trainers' search space, and Torch trials are pruned on their per-epoch validation metric.
/// </summary>
public sealed class AutoMLExperiment
{
    readonly MLContext _ml;
    DatasetPlan _data = new();
    PredictionKind _task = PredictionKind.BinaryClassification;
    string _label = "Label";
    string? _metric;
    IEstimator<ITransformer>? _featurizer;
    List<TrainerCandidate> _trainers = TrainerPortfolio.Tabular.ToList();
    readonly Dictionary<string, NestedSpace> _spaces = new();
    double? _seconds;
    int? _maxTrials;
    Func<SearchSpace, int, ITuner> _tunerFactory = (space, seed) => new TpeTuner(space, seed);
    IPruner _pruner = new NopPruner();
    PruningFidelity _fidelity;
    int _seed;
    int? _tunerSeed;
    int _parallel = 1;
    IMonitor _monitor = new NullMonitor();
    IStudyStorage? _storage;
    string _studyName = "default";
    IReadOnlyDictionary<string, string> _studyAttributes = new Dictionary<string, string>();
    TimeSpan _heartbeatInterval = TrialHeartbeat.DefaultInterval;
    double _gapPenalty;
    bool? _refit;
    bool _ensemble = true;

    public AutoMLExperiment(MLContext mlContext) => _ml = mlContext ?? throw new ArgumentNullException(nameof(mlContext));

    /// <summary>Separate training and validation data.</summary>
    public AutoMLExperiment SetDataset(IDataView train, IDataView validation) =>
        With(() => _data = new DatasetPlan { Train = train, Validation = validation });

    /// <summary>One data set, split once (seeded) into training and validation.</summary>
    public AutoMLExperiment SetDataset(IDataView data, double validationFraction = 0.2) =>
        validationFraction is > 0 and < 1
            ? With(() => _data = new DatasetPlan { All = data, ValidationFraction = validationFraction })
            : throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "must be in (0, 1)");

    /// <summary>k-fold cross-validation: each trial trains k models and scores their mean.</summary>
    public AutoMLExperiment SetDataset(IDataView data, int folds) => folds >= 2
        ? With(() => _data = new DatasetPlan { All = data, Folds = folds })
        : throw new ArgumentOutOfRangeException(nameof(folds), folds, "cross-validation needs at least 2 folds");

    public AutoMLExperiment SetBinaryClassificationMetric(string metric = "Accuracy", string labelColumn = "Label") => SetTask(PredictionKind.BinaryClassification, metric, labelColumn);
    public AutoMLExperiment SetMulticlassClassificationMetric(string metric = "MicroAccuracy", string labelColumn = "Label") => SetTask(PredictionKind.MulticlassClassification, metric, labelColumn);
    public AutoMLExperiment SetRegressionMetric(string metric = "RSquared", string labelColumn = "Label") => SetTask(PredictionKind.Regression, metric, labelColumn);

    public AutoMLExperiment SetTask(PredictionKind task, string? metric = null, string labelColumn = "Label")
    {
        var resolved = MetricCatalog.Resolve(task, metric ?? MetricCatalog.DefaultMetric(task));
        return With(() => (_task, _metric, _label) = (task, resolved, labelColumn));
    }

    /// <summary>A featurization pipeline fitted once on the training data, producing Features and Label for the trainers.</summary>
    public AutoMLExperiment SetFeaturizer(IEstimator<ITransformer> featurizer) => With(() => _featurizer = featurizer);

    public AutoMLExperiment SetTrainers(params TrainerCandidate[] trainers) => trainers.Length > 0
        ? With(() => _trainers = trainers.ToList())
        : throw new ArgumentException("At least one trainer is needed.", nameof(trainers));

    /// <summary>Replaces (or narrows) a trainer's default search space.</summary>
    public AutoMLExperiment SetSearchSpace(string trainerName, NestedSpace space) => With(() => _spaces[trainerName] = space);

    public AutoMLExperiment SetTrainingTimeInSeconds(double seconds) => seconds > 0
        ? With(() => _seconds = seconds)
        : throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "the time budget must be positive");

    /// <remarks>0 runs no trial: the result is the study's best trial, trained again with its recorded seed.</remarks>
    public AutoMLExperiment SetMaxTrials(int trials) => trials >= 0
        ? With(() => _maxTrials = trials)
        : throw new ArgumentOutOfRangeException(nameof(trials), trials, "zero or more trials");

    /// <summary>
    /// The tuner of each trainer's own space, built from that space and a seed. Which trainer a trial uses is chosen
    /// by the experiment (defaults first, then by estimated cost for improvement: <see cref="PortfolioTuner"/>).
    /// </summary>
    public AutoMLExperiment SetTuner(Func<SearchSpace, int, ITuner> factory) => With(() => _tunerFactory = factory);

    /// <summary>The pruner of Torch trials, and what the steps it compares trials at count (epochs by default).</summary>
    public AutoMLExperiment SetPruner(IPruner pruner, PruningFidelity fidelity = PruningFidelity.Epochs) => With(() => (_pruner, _fidelity) = (pruner, fidelity));

    public AutoMLExperiment SetSeed(int seed) => With(() => _seed = seed);

    /// <summary>The tuner's own seed, apart from the split's and the trainers': workers of one shared study split the data
    /// alike (one seed) but must not propose alike (one tuner seed each). Default: from the seed and the study's size.</summary>
    public AutoMLExperiment SetTunerSeed(int seed) => With(() => _tunerSeed = seed);

    /// <summary>Trials run in parallel, each with its share of the CPU threads.</summary>
    public AutoMLExperiment SetMaxConcurrentTrials(int trials) => trials >= 1
        ? With(() => _parallel = trials)
        : throw new ArgumentOutOfRangeException(nameof(trials), trials, "at least one");

    public AutoMLExperiment SetMonitor(IMonitor monitor) => With(() => _monitor = monitor);

    /// <summary>
    /// Where trials are written as they happen; an existing study of that name is resumed (or joined, when other
    /// workers run it at the same time). <paramref name="attributes"/> are written on a new study beside the task,
    /// label and seed (an existing study keeps its first values).
    /// </summary>
    public AutoMLExperiment SetStudy(IStudyStorage storage, string studyName, IReadOnlyDictionary<string, string>? attributes = null) =>
        With(() => (_storage, _studyName, _studyAttributes) = (storage, studyName, attributes ?? new Dictionary<string, string>()));

    /// <summary>
    /// How often a running trial beats its heartbeat; keep it well under the storage's heartbeat timeout (a worker
    /// given a short grace period beats more often). Default: <see cref="TrialHeartbeat.DefaultInterval"/>.
    /// </summary>
    public AutoMLExperiment SetHeartbeatInterval(TimeSpan interval) => interval > TimeSpan.Zero
        ? With(() => _heartbeatInterval = interval)
        : throw new ArgumentOutOfRangeException(nameof(interval), interval, "must be positive");

    /// <summary>Optimize metric - lambda * max(0, gap) (metric + ... for losses) to prefer models that generalize.</summary>
    public AutoMLExperiment SetGapPenalty(double lambda) => lambda >= 0
        ? With(() => _gapPenalty = lambda)
        : throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "must be zero or positive");

    /// <summary>
    /// After the search, build a weighted ensemble of the best trials and return it instead of the best trial when it
    /// beats that trial on validation rows it was not built on (on by default).
    /// </summary>
    public AutoMLExperiment SetEnsemble(bool ensemble) => With(() => _ensemble = ensemble);

    /// <summary>
    /// Retrain the best configuration (a kept ensemble's members, with their weights) on training plus validation data
    /// before returning it (by default only with cross-validation). Under a time budget a refit runs only when its
    /// predicted time fits what the budget and its 10% allowance have left (an ensemble's members one by one, largest
    /// weight first); a cancelled run does not refit. <see cref="BestTrial.RefittedTrialIds"/> says which ran.
    /// </summary>
    public AutoMLExperiment SetRefit(bool refit) => With(() => _refit = refit);

    /// <summary>The experiment's search space: one option per trainer, each with its (possibly replaced) space.</summary>
    public OneOfSpace BuildSearchSpace(int trainRows) => ExperimentSpace.Build(_trainers, _spaces, _task, trainRows);

    public Task<ExperimentResult> RunAsync(CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(() => Run(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    ExperimentResult Run(CancellationToken cancellationToken)
    {
        if (_seconds == null && _maxTrials == null)
            throw new InvalidOperationException("Set a budget: SetTrainingTimeInSeconds and/or SetMaxTrials.");
        var metric = _metric ?? MetricCatalog.DefaultMetric(_task);
        var direction = MetricCatalog.DirectionOf(_task, metric);
        var clock = Stopwatch.StartNew();
        var data = new DataPreparation(_ml, _data, _featurizer, _seed).Prepare(_task, _label, metric, direction);
        var space = BuildSearchSpace(data.TrainRows);
        var storage = _storage ?? StudyStorageFactory.InMemory();
        var attributes = new Dictionary<string, string>(_studyAttributes)
        {
            ["task"] = _task.ToString(), ["label"] = _label, ["seed"] = _seed.ToString(CultureInfo.InvariantCulture),
        };
        var study = storage.CreateOrOpenStudy(_studyName, direction, metric, space.ToJson(indented: false), attributes);
        storage.RecoverInterruptedTrials(_studyName);
        var session = new StudySession(storage, _studyName, data, _trainers, _pruner, _monitor, _gapPenalty,
            Threads: Math.Max(1, Environment.ProcessorCount / _parallel)) { HeartbeatInterval = _heartbeatInterval, Fidelity = _fidelity };

        var previous = storage.GetTrials(_studyName);
        var portfolio = _trainers.Select(t => new PortfolioTrainer(t.Name, t.FirstPoint((NestedSpace)space[t.Name], _task, data.TrainRows),
            t.RelativeCost(_task), t.FidelityParameter)).ToList();
        var tuner = new PortfolioTuner(space, _tunerSeed ?? RequeuePolicy.TunerSeed(_seed, previous.Count), portfolio, _tunerFactory);
        RequeuePolicy.Replay(tuner, previous, direction);
        var gate = new object();
        var tell = new TellStep(session, tuner, gate);
        tell.SeedBest(previous);
        var end = new RunEnd(_ml, _data, _featurizer, _seed, _seconds, _ensemble, Refit: _refit ?? _data.Folds > 0, portfolio.ToDictionary(p => p.Name, p => p.FirstPoint));
        Exception? storageFault;
        using (var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            if (_seconds is { } seconds) budget.CancelAfter(TimeSpan.FromSeconds(seconds));
            // The search leaves unspent the predicted time of what follows it: the ensemble step, the second look, the refit.
            var loop = new TrialLoop(session, tuner, previous, tell, gate)
            {
                Seed = _seed, Parallel = _parallel, MaxTrials = _maxTrials, SecondsLeft = () => end.SearchSecondsLeft(session, tell, previous, clock),
            };
            loop.Run(budget.Token, cancellationToken);
            storageFault = loop.StorageFault;
        }
        return end.Result(session, tell, previous, study, clock, storageFault, cancellationToken);
    }

    AutoMLExperiment With(Action set) { set(); return this; }

    sealed class NullMonitor : IMonitor { }
}
