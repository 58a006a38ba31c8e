using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.AutoML.Data;
using Pipelines.AutoML.Metrics;
using Pipelines.Torch.Data;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// An AutoML experiment in the spirit of Microsoft's AutoMLExperiment: set the data, task and metric, budget,
/// trainers, tuner, pruner and study, then <see cref="RunAsync"/>. It is the one place where tuner, trainers,
/// pruner, storage and monitor meet. Batch size and epochs are part of the Torch trainers' search space, and
/// Torch trials are pruned on their per-epoch validation metric.
/// </summary>
public sealed class AutoMLExperiment
{
    readonly MLContext _ml;
    IDataView? _train, _validation, _all;
    double _validationFraction = 0.2;
    int _folds;
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
    int _seed;
    int _parallel = 1;
    IMonitor _monitor = new NullMonitor();
    IStudyStorage? _storage;
    string _studyName = "default";
    double _gapPenalty;
    bool? _refit;

    static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(20);

    public AutoMLExperiment(MLContext mlContext) => _ml = mlContext ?? throw new ArgumentNullException(nameof(mlContext));

    /// <summary>Separate training and validation data.</summary>
    public AutoMLExperiment SetDataset(IDataView train, IDataView validation)
    {
        (_train, _validation, _all, _folds) = (train, validation, null, 0);
        return this;
    }

    /// <summary>One data set, split once (seeded) into training and validation.</summary>
    public AutoMLExperiment SetDataset(IDataView data, double validationFraction = 0.2)
    {
        if (!(validationFraction > 0 && validationFraction < 1)) throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "must be in (0, 1)");
        (_all, _validationFraction, _train, _validation, _folds) = (data, validationFraction, null, null, 0);
        return this;
    }

    /// <summary>k-fold cross-validation: each trial trains k models and scores their mean.</summary>
    public AutoMLExperiment SetDataset(IDataView data, int folds)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "cross-validation needs at least 2 folds");
        (_all, _folds, _train, _validation) = (data, folds, null, null);
        return this;
    }

    public AutoMLExperiment SetBinaryClassificationMetric(string metric = "Accuracy", string labelColumn = "Label") => SetTask(PredictionKind.BinaryClassification, metric, labelColumn);
    public AutoMLExperiment SetMulticlassClassificationMetric(string metric = "MicroAccuracy", string labelColumn = "Label") => SetTask(PredictionKind.MulticlassClassification, metric, labelColumn);
    public AutoMLExperiment SetRegressionMetric(string metric = "RSquared", string labelColumn = "Label") => SetTask(PredictionKind.Regression, metric, labelColumn);

    public AutoMLExperiment SetTask(PredictionKind task, string? metric = null, string labelColumn = "Label")
    {
        _task = task;
        _metric = MetricCatalog.Resolve(task, metric ?? MetricCatalog.DefaultMetric(task));
        _label = labelColumn;
        return this;
    }

    /// <summary>A featurization pipeline fitted once on the training data, producing Features and Label for the trainers.</summary>
    public AutoMLExperiment SetFeaturizer(IEstimator<ITransformer> featurizer)
    {
        _featurizer = featurizer;
        return this;
    }

    public AutoMLExperiment SetTrainers(params TrainerCandidate[] trainers)
    {
        if (trainers.Length == 0) throw new ArgumentException("At least one trainer is needed.", nameof(trainers));
        _trainers = trainers.ToList();
        return this;
    }

    /// <summary>Replaces (or narrows) a trainer's default search space.</summary>
    public AutoMLExperiment SetSearchSpace(string trainerName, NestedSpace space)
    {
        _spaces[trainerName] = space;
        return this;
    }

    public AutoMLExperiment SetTrainingTimeInSeconds(double seconds)
    {
        if (!(seconds > 0)) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "the time budget must be positive");
        _seconds = seconds;
        return this;
    }

    public AutoMLExperiment SetMaxTrials(int trials)
    {
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, "at least one trial");
        _maxTrials = trials;
        return this;
    }

    /// <summary>The tuner, built from the experiment's search space and seed.</summary>
    public AutoMLExperiment SetTuner(Func<SearchSpace, int, ITuner> factory)
    {
        _tunerFactory = factory;
        return this;
    }

    public AutoMLExperiment SetPruner(IPruner pruner)
    {
        _pruner = pruner;
        return this;
    }

    public AutoMLExperiment SetSeed(int seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>Trials run in parallel, each with its share of the CPU threads.</summary>
    public AutoMLExperiment SetMaxConcurrentTrials(int trials)
    {
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, "at least one");
        _parallel = trials;
        return this;
    }

    public AutoMLExperiment SetMonitor(IMonitor monitor)
    {
        _monitor = monitor;
        return this;
    }

    /// <summary>Where trials are written as they happen; an existing study of that name is resumed.</summary>
    public AutoMLExperiment SetStudy(IStudyStorage storage, string studyName)
    {
        _storage = storage;
        _studyName = studyName;
        return this;
    }

    /// <summary>Optimize metric - lambda * max(0, gap) (metric + ... for losses) to prefer models that generalize.</summary>
    public AutoMLExperiment SetGapPenalty(double lambda)
    {
        if (!(lambda >= 0)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "must be zero or positive");
        _gapPenalty = lambda;
        return this;
    }

    /// <summary>Retrain the best configuration on training plus validation data before returning it.</summary>
    public AutoMLExperiment SetRefit(bool refit)
    {
        _refit = refit;
        return this;
    }

    /// <summary>The experiment's search space: one option per trainer, each with its (possibly replaced) space.</summary>
    public OneOfSpace BuildSearchSpace(int trainRows)
    {
        foreach (var name in _spaces.Keys)
            if (_trainers.All(t => t.Name != name))
                throw new ArgumentException($"A search space was set for '{name}', which is not among the trainers ({string.Join(", ", _trainers.Select(t => t.Name))}).");
        var options = _trainers.Select(t => KeyValuePair.Create(t.Name, (SearchSpace)(_spaces.TryGetValue(t.Name, out var s) ? s : t.DefaultSearchSpace(_task, trainRows))));
        var space = new OneOfSpace(options);
        if (space.FeatureSpaceDimension <= 1 && _trainers.Count == 1)
            throw new ArgumentException($"The search space of '{_trainers[0].Name}' is empty: nothing to tune.");
        return space;
    }

    public Task<ExperimentResult> RunAsync(CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(() => Run(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    ExperimentResult Run(CancellationToken cancellationToken)
    {
        if (_seconds == null && _maxTrials == null)
            throw new InvalidOperationException("Set a budget: SetTrainingTimeInSeconds and/or SetMaxTrials.");
        var metric = _metric ?? MetricCatalog.DefaultMetric(_task);
        var direction = MetricCatalog.DirectionOf(_task, metric);
        var clock = Stopwatch.StartNew();
        var data = Prepare(metric, direction);
        var space = BuildSearchSpace(data.TrainRows);
        var storage = _storage ?? new InMemoryStudyStorage();

        storage.CreateOrOpenStudy(_studyName, direction, metric, space.ToJson(indented: false), new Dictionary<string, string>
        {
            ["task"] = _task.ToString(), ["label"] = _label, ["seed"] = _seed.ToString(CultureInfo.InvariantCulture),
        });
        storage.RecoverInterruptedTrials(_studyName);
        var tuner = _tunerFactory(space, _seed);
        var previous = storage.GetTrials(_studyName);
        // Trials stopped from outside (a killed process, Ctrl+C) run again, once each, before the tuner proposes;
        // they teach the tuner nothing, since their parameters did not cause the stop. Budget cut-offs are not rerun.
        var requeue = new Queue<TrialRecord>(previous.Where(t => IStudyStorage.WasStoppedFromOutside(t)
            && t.Error != IStudyStorage.BudgetError && !t.Attributes.ContainsKey(IStudyStorage.RequeuedAsAttribute)));
        foreach (var t in previous.Where(t => t.IsFinished && !IStudyStorage.WasStoppedFromOutside(t))) tuner.Update(ToResult(t, direction));

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_seconds is { } seconds) budget.CancelAfter(TimeSpan.FromSeconds(seconds));
        int threads = Math.Max(1, Environment.ProcessorCount / _parallel);
        int started = 0;
        var gate = new object();
        var models = new Dictionary<int, (ITransformer Model, TrainingReport? Report)>();
        TrialRecord? best = previous.Where(t => t.Status == TrialStatus.Completed && t.Objective.HasValue)
            .OrderBy(t => direction.ToLoss(t.Objective!.Value)).FirstOrDefault();
        var running = new List<Task>();

        bool CanStart() => !budget.IsCancellationRequested && (_maxTrials == null || started < _maxTrials);

        while (true)
        {
            while (running.Count < _parallel && CanStart())
            {
                Parameter parameters;
                TrialRecord? rerun;
                int trialSeed;
                lock (gate)
                {
                    rerun = requeue.Count > 0 ? requeue.Dequeue() : null;
                    parameters = rerun?.Parameters ?? tuner.Propose(new TrialSettings(started));
                    trialSeed = unchecked(_seed * 7919 + previous.Count + started);
                }
                string trainer = parameters[OneOfSpace.OptionKey].AsString();
                int id = storage.CreateTrial(_studyName, parameters, trainer, DateTimeOffset.UtcNow);
                if (rerun != null) storage.SetTrialAttribute(rerun.Id, IStudyStorage.RequeuedAsAttribute, id.ToString(CultureInfo.InvariantCulture));
                storage.SetTrialAttribute(id, "seed", trialSeed.ToString(CultureInfo.InvariantCulture));
                started++;
                running.Add(Task.Factory.StartNew(() => RunTrial(id, parameters, trainer, trialSeed), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            }
            if (running.Count == 0) break;
            int done = Task.WaitAny(running.ToArray());
            running[done].GetAwaiter().GetResult();
            running.RemoveAt(done);
        }

        var trials = storage.GetTrials(_studyName);
        if (best == null) throw NoModel(trials, clock.Elapsed, cancellationToken.IsCancellationRequested);
        // The best trial may come from an earlier run of a resumed study: its model was not kept, so train it again.
        var (model, report) = models.TryGetValue(best.Id, out var kept) ? kept : Retrain(best, data, threads);
        // The returned model takes the raw data: the featurizer comes first.
        if (data.Featurizer != null) model = data.Featurizer.Append(model);
        bool refitted = false;
        if (_refit ?? _folds > 0)
        {
            (model, report) = Refit(best, data);
            refitted = true;
        }
        return new ExperimentResult
        {
            Best = new BestTrial(storage.GetTrial(best.Id), model, report, refitted),
            Trials = trials,
            Metric = metric,
            Direction = direction,
            Elapsed = clock.Elapsed,
        };

        void RunTrial(int id, Parameter parameters, string trainerName, int trialSeed)
        {
            var candidate = _trainers.First(t => t.Name == trainerName);
            var trialParameters = parameters[OneOfSpace.ParametersKey];
            using var trialCts = CancellationTokenSource.CreateLinkedTokenSource(budget.Token);
            bool pruned = false;
            var watch = Stopwatch.StartNew();
            _monitor.ReportRunningTrial(storage.GetTrial(id));
            // Long steps (a big FastTree, a slow epoch) must not look like a dead process to other workers.
            using var heartbeat = new Timer(_ => Beat(storage, id), null, HeartbeatInterval, HeartbeatInterval);

            void OnEpoch(EpochReport epoch)
            {
                double? value = IntermediateValue(epoch, metric, direction);
                if (value == null) return;
                storage.ReportIntermediate(id, epoch.Epoch, value.Value);
                var record = storage.GetTrial(id);
                _monitor.ReportEpoch(record, epoch);
                // A trial at its last epoch is finished, not prunable: nothing is saved by stopping it now.
                if (epoch.Epoch < epoch.PlannedEpochs && _pruner.ShouldPrune(record, storage.GetTrials(_studyName), direction))
                {
                    pruned = true;
                    trialCts.Cancel();
                }
            }

            var outcome = TrialRunner.Run(candidate, trialParameters, data, trialSeed, threads, _gapPenalty,
                candidate.TrainsInEpochs ? OnEpoch : null, () => pruned, trialCts.Token);
            var status = outcome.Status;
            var error = outcome.Error;
            if (status == TrialStatus.Failed && budget.IsCancellationRequested && TrialRunner.IsStop(outcome.Exception))
                error = cancellationToken.IsCancellationRequested ? IStudyStorage.CancelledError : IStudyStorage.BudgetError;
            if (outcome.Report != null)
            {
                storage.SetTrialAttribute(id, "training_report", outcome.Report.ToJson());
                storage.SetTrialAttribute(id, "batch_size", outcome.Report.BatchSize.ToString(CultureInfo.InvariantCulture));
                storage.SetTrialAttribute(id, "epochs_run", outcome.Report.Epochs.Count.ToString(CultureInfo.InvariantCulture));
                storage.SetTrialAttribute(id, "scaled_learning_rate", outcome.Report.ScaledLearningRate.ToString("R", CultureInfo.InvariantCulture));
                if (outcome.Report.Epochs.Count > 0)
                    storage.SetTrialAttribute(id, "samples_per_second",
                        outcome.Report.Epochs.Average(e => e.SamplesPerSecond).ToString("R", CultureInfo.InvariantCulture));
            }
            storage.FinishTrial(id, status, outcome.Objective, outcome.ValidationMetric, outcome.TrainMetric, outcome.Gap, error,
                DateTimeOffset.UtcNow, watch.Elapsed.TotalSeconds);
            var record = storage.GetTrial(id);
            lock (gate)
            {
                if (!IStudyStorage.WasStoppedFromOutside(record)) tuner.Update(ToResult(record, direction));
                if (status == TrialStatus.Completed)
                {
                    models[id] = (outcome.Model!, outcome.Report);
                    if (best == null || direction.IsBetter(record.Objective!.Value, best.Objective!.Value))
                    {
                        best = record;
                        _monitor.ReportBestTrial(record);
                    }
                }
            }
            switch (status)
            {
                case TrialStatus.Completed: _monitor.ReportCompletedTrial(record); break;
                case TrialStatus.Pruned: _monitor.ReportPrunedTrial(record); break;
                default: _monitor.ReportFailTrial(record, outcome.Exception); break;
            }
        }
    }

    /// <summary>
    /// The per-epoch value pruners compare: the Torch trainer's validation metric (accuracy or R^2) when the experiment
    /// maximizes, its validation loss (RMSE for RMSE) when it minimizes, so the value moves in the experiment's direction.
    /// </summary>
    // A timer callback must never throw: an exception there would end the process.
    static void Beat(IStudyStorage storage, int trialId)
    {
        try { storage.Heartbeat(trialId); }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or Microsoft.Data.Sqlite.SqliteException) { }
    }

    static double? IntermediateValue(EpochReport epoch, string metric, OptimizationDirection direction)
    {
        if (direction == OptimizationDirection.Maximize) return epoch.ValidationMetric;
        if (epoch.ValidationLoss is not { } loss) return null;
        return metric == "RootMeanSquaredError" ? Math.Sqrt(loss) : loss;
    }

    static TrialResult ToResult(TrialRecord t, OptimizationDirection direction) =>
        new(t.Id, t.Parameters, t.Status == TrialStatus.Completed && t.Objective is { } o ? direction.ToLoss(o) : double.PositiveInfinity,
            t.DurationSeconds, t.Status);

    ExperimentData Prepare(string metric, OptimizationDirection direction)
    {
        var folds = new List<(IDataView, IDataView)>();
        IDataView source = _train ?? _all ?? throw new InvalidOperationException("Set the data with SetDataset before running.");
        // The trainers read the label after featurization, which may create it (Featurizer.Build makes "Label" from
        // the file's label column): with a featurizer, the featurized folds are checked below instead.
        if (_featurizer == null) CheckLabel(source.Schema);

        ITransformer? featurizer;
        IDataView Featurize(IDataView d) => _ml.Data.Cache(featurizer?.Transform(d) ?? d);
        if (_folds > 0)
        {
            // One featurizer for all folds, fitted on all rows: vocabularies and statistics see the validation folds
            // (a small, usual leak in exchange for one featurization per experiment).
            featurizer = _featurizer?.Fit(_all!);
            foreach (var fold in _ml.Data.CrossValidationSplit(_all!, _folds, seed: _seed))
                folds.Add((Featurize(fold.TrainSet), Featurize(fold.TestSet)));
        }
        else
        {
            var (train, validation) = _train != null ? (_train, _validation!) : Split(_all!);
            if (_featurizer == null) CheckLabel(validation.Schema);
            featurizer = _featurizer?.Fit(train);
            folds.Add((Featurize(train), Featurize(validation)));
        }
        if (_featurizer != null)
        {
            CheckLabel(folds[0].Item1.Schema);
            CheckLabel(folds[0].Item2.Schema);
        }

        int trainRows = CountRows(folds[0].Item1);
        if (trainRows == 0) throw new InvalidOperationException("The training data has no rows.");
        // The train side of the gap is measured on a fixed sample the size of the validation set (DESIGN.md section 4).
        var samples = folds.Select(f => (IDataView)_ml.Data.TakeRows(_ml.Data.ShuffleRows(f.Item1, seed: _seed), Math.Max(CountRows(f.Item2), 500))).ToList();
        return new ExperimentData(_task, _label, metric, direction, folds, samples, trainRows, featurizer);
    }

    (IDataView Train, IDataView Validation) Split(IDataView all)
    {
        var split = _ml.Data.TrainTestSplit(all, _validationFraction, seed: _seed);
        return (split.TrainSet, split.TestSet);
    }

    void CheckLabel(DataViewSchema schema)
    {
        if (schema.GetColumnOrNull(_label) is null)
            throw new ArgumentException($"The label column '{_label}' is not in the data. The columns are: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"))}.");
    }

    static int CountRows(IDataView data)
    {
        if (data.GetRowCount() is { } n) return (int)n;
        int count = 0;
        using var cursor = data.GetRowCursor(Array.Empty<DataViewSchema.Column>());
        while (cursor.MoveNext()) count++;
        return count;
    }

    (ITransformer Model, TrainingReport? Report) Retrain(TrialRecord trial, ExperimentData data, int threads)
    {
        int seed = trial.Attributes.TryGetValue("seed", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : _seed;
        var outcome = TrialRunner.Run(_trainers.First(t => t.Name == trial.Trainer), trial.Parameters[OneOfSpace.ParametersKey], data,
            seed, threads, _gapPenalty, null, () => false, CancellationToken.None);
        if (outcome.Model == null)
            throw new AutoMLException($"Retraining trial {trial.Id} ({trial.Trainer}), the best of an earlier run, failed: {outcome.Error}", new[] { trial });
        return (outcome.Model, outcome.Report);
    }

    (ITransformer Model, TrainingReport? Report) Refit(TrialRecord best, ExperimentData data)
    {
        var source = _all ?? new AppendedDataView(_train!, _validation!);
        var candidate = _trainers.First(t => t.Name == best.Trainer);
        var ml = new MLContext(_seed);
        var featurizer = _featurizer?.Fit(source);
        var all = _ml.Data.Cache(featurizer?.Transform(source) ?? source);
        var context = new TrialFitContext { MLContext = ml, Task = _task, Train = all, LabelColumnName = _label, TrainRows = CountRows(all), Seed = _seed };
        var fit = candidate.Fit(context, best.Parameters[OneOfSpace.ParametersKey]);
        ITransformer model = featurizer == null ? fit.Model : featurizer.Append(fit.Model);
        return (model, fit.TrainingReport);
    }

    AutoMLException NoModel(IReadOnlyList<TrialRecord> trials, TimeSpan elapsed, bool cancelled)
    {
        if (trials.Count == 0 || trials.All(t => t.Status == TrialStatus.Failed && t.Error?.StartsWith("stopped: the time budget", StringComparison.Ordinal) == true))
        {
            string first = trials.Count == 0 ? "no trial started" : $"the first trial ran {trials[0].DurationSeconds:F1} s without finishing";
            return new AutoMLException(cancelled
                ? $"The experiment was cancelled after {elapsed.TotalSeconds:F1} s before any trial finished."
                : $"The time budget of {_seconds:F0} s ended before any trial finished ({first}). Give the experiment more time.", trials);
        }
        var summary = trials.GroupBy(t => $"{t.Status}: {t.Error ?? "no model"}")
            .OrderByDescending(g => g.Count())
            .Select(g => $"  {g.Count()} x {g.Key} (trainers: {string.Join(", ", g.Select(t => t.Trainer).Distinct())})");
        return new AutoMLException($"All {trials.Count} trials failed; none produced a model:{Environment.NewLine}{string.Join(Environment.NewLine, summary)}", trials);
    }

    sealed class NullMonitor : IMonitor { }
}
