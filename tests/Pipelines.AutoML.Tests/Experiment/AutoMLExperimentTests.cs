using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Inference;
using Pipelines.AutoML.Metrics;
using Pipelines.Torch.Data;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;
using Pipelines.Torch;
using Pipelines.Torch.Trainers;

namespace Pipelines.AutoML.Tests.Experiment;

/// <summary>The experiment loop end to end: search, failures, budget, pruning, storage and resume.</summary>
public sealed class AutoMLExperimentTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pipelines-experiment-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task SearchBeatsTheFixedDefaultConfiguration()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.25, seed: 1);

        var baseline = ml.Regression.Trainers.TorchMlp(new TorchMlpTrainer.Options { Seed = 1, ValidationFraction = 0 }).Fit(split.TrainSet);
        double baselineR2 = ml.Regression.Evaluate(baseline.Transform(split.TestSet)).RSquared;

        var result = await new AutoMLExperiment(ml)
            .SetDataset(split.TrainSet, split.TestSet)
            .SetRegressionMetric("RSquared")
            .SetTrainers(new TorchMlpCandidate(), new LightGbmCandidate(), new FastTreeCandidate())
            .SetSearchSpace("torch-mlp", new TorchMlpCandidate().DefaultSearchSpace(PredictionKind.Regression, 800)
                .With("epochs", new NumericSpace(NumericType.Int, 5, 60, logBase: true)))
            .SetMaxTrials(12)
            .SetSeed(3)
            .RunAsync();

        double best = result.Best.Record.ValidationMetric!.Value;
        Assert.True(best > baselineR2 + 0.01, $"best {best:F4} ({result.Best.Record.Trainer}) vs default TorchMlp {baselineR2:F4}");
        Assert.Equal(12, result.Trials.Count(t => t.Trainer != "ensemble"));
        // The model returned is the one measured: evaluating it again gives the recorded metric.
        double again = ml.Regression.Evaluate(result.Best.Model.Transform(split.TestSet)).RSquared;
        Assert.Equal(best, again, 6);
        Assert.All(result.Trials.Where(t => t.Status == TrialStatus.Completed), t =>
        {
            Assert.NotNull(t.TrainMetric);
            Assert.Equal(t.TrainMetric!.Value - t.ValidationMetric!.Value, t.GeneralizationGap!.Value, 9);
        });
        Assert.Equal(result.Trials.Where(t => t.Status == TrialStatus.Completed).Max(t => t.Objective), result.Leaderboard[0].Objective);
    }

    [Fact]
    public async Task AnInferredFileTrainsThroughTheFeaturizerThatMakesTheLabel()
    {
        // The file's label is "species"; the featurizer makes the key "Label" the trainers read.
        var ml = new MLContext(seed: 1);
        var columns = ColumnInference.InferColumns(TestData.Path("iris.csv"), "species");
        var result = await new AutoMLExperiment(ml).SetDataset(columns.LoadData(ml), 0.3)
            .SetTask(columns.Task).SetFeaturizer(Featurizer.Build(ml, columns))
            .SetTrainers(new LinearCandidate()).SetMaxTrials(2).SetSeed(1).RunAsync();
        Assert.True(result.Best.Record.ValidationMetric > 0.8, $"micro-accuracy {result.Best.Record.ValidationMetric}");
        // The returned model starts with the featurizer: it scores rows as the file holds them.
        var scored = result.Best.Model.Transform(columns.LoadData(ml));
        Assert.True(ml.MulticlassClassification.Evaluate(scored).MicroAccuracy > 0.8);
    }

    [Fact]
    public async Task FailingTrialsAreRecordedAndTheSearchGoesOn()
    {
        var ml = new MLContext(seed: 1);
        var candidate = new ScriptedCandidate((x, c) => x > 0.5 ? throw new InvalidOperationException($"boom at {x:F2}") : ScriptedCandidate.Linear(c));
        var monitor = new RecordingMonitor();
        var result = await new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3)
            .SetTrainers(candidate).SetTuner((s, seed) => new RandomTuner(s, seed)).SetMaxTrials(10).SetSeed(5).SetMonitor(monitor)
            .RunAsync();
        var failed = result.Trials.Where(t => t.Status == TrialStatus.Failed).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, t => Assert.Contains("InvalidOperationException: boom at", t.Error));
        Assert.Equal(10, result.Trials.Count);
        Assert.True(result.Best.Record.Parameters["parameters"]["x"].AsDouble() <= 0.5);
        Assert.Equal(failed.Count, monitor.Failed);
        Assert.Equal(10 - failed.Count, monitor.Completed);
    }

    [Fact]
    public async Task DivergingTrialsAreRecordedAsDivergedWithTheirReport()
    {
        var ml = new MLContext(seed: 1);
        var explosive = new SearchSpaceBuilder().Int("epochs", 3, 3).Double("learning_rate", 1e4, 1e5, logBase: true).Choice("optimizer", "sgd").Build();
        var result = await new AutoMLExperiment(ml).SetDataset(TestData.Concrete(ml), 0.3).SetRegressionMetric()
            .SetTrainers(new TorchMlpCandidate(), new LinearCandidate()).SetSearchSpace("torch-mlp", explosive)
            .SetTuner((s, seed) => new RandomTuner(s, seed)).SetMaxTrials(6).SetSeed(2).RunAsync();
        var diverged = result.Trials.Where(t => t.Status == TrialStatus.Diverged).ToList();
        Assert.NotEmpty(diverged);
        Assert.All(diverged, t =>
        {
            Assert.Contains("diverged", t.Error);
            Assert.Contains("\"StopReason\": \"Diverged\"", t.Attributes["training_report"]);
        });
        Assert.Equal("linear", result.Best.Record.Trainer);
    }

    [Fact]
    public async Task WhenEveryTrialFailsTheErrorSummarizesTheFailures()
    {
        var ml = new MLContext(seed: 1);
        var candidate = new ScriptedCandidate((_, _) => throw new FormatException("bad column"));
        var e = await Assert.ThrowsAsync<AutoMLException>(() => new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3)
            .SetTrainers(candidate).SetMaxTrials(4).RunAsync());
        Assert.Contains("All 4 trials failed", e.Message);
        Assert.Contains("4 x Failed: FormatException: bad column (trainers: scripted)", e.Message);
    }

    [Fact]
    public async Task ABudgetTooSmallForOneTrialSaysSo()
    {
        var ml = new MLContext(seed: 1);
        var candidate = new ScriptedCandidate((_, c) => { c.CancellationToken.WaitHandle.WaitOne(); c.CancellationToken.ThrowIfCancellationRequested(); return ScriptedCandidate.Linear(c); });
        var e = await Assert.ThrowsAsync<AutoMLException>(() => new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3)
            .SetTrainers(candidate).SetTrainingTimeInSeconds(1).RunAsync());
        Assert.Contains("ended before any trial finished", e.Message);
        Assert.Contains("more time", e.Message);
    }

    [Fact]
    public async Task ATrialThatCannotFitTheTimeLeftIsNotStarted()
    {
        // Each trial takes about 2 s and the budget is 3 s: after the first there is not enough left for a second,
        // which would only be cut off; the run ends instead, with its time unspent.
        var ml = new MLContext(seed: 1);
        var slow = new ScriptedCandidate((_, c) => { Thread.Sleep(2000); return ScriptedCandidate.Linear(c); });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3)
            .SetTrainers(slow).SetTrainingTimeInSeconds(3).SetSeed(1).RunAsync();
        var trial = Assert.Single(result.Trials);
        Assert.Equal(TrialStatus.Completed, trial.Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"the run took {watch.Elapsed.TotalSeconds:F1} s");
    }

    [Theory]
    [InlineData("fasttree", "number_of_trees")]
    [InlineData("lightgbm", "number_of_iterations")]
    public async Task TheBudgetStopsABoostedTreesFitInTheMiddle(string trainer, string iterations)
    {
        // Two million rounds of boosting take minutes; the budget is three seconds (one second can pass before the first
        // trial starts on a loaded machine, and then none does). ML.NET trainers stop between rounds once the trial's
        // MLContext is cancelled, so the experiment ends within seconds of its budget.
        var ml = new MLContext(seed: 1);
        TrainerCandidate candidate = trainer == "fasttree" ? new FastTreeCandidate() : new LightGbmCandidate();
        var space = new SearchSpaceBuilder().Int(iterations, 2_000_000, 2_000_000).Double("learning_rate", 1e-4, 1e-4).Build();
        var storage = new InMemoryStudyStorage();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<AutoMLException>(() => new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3)
            .SetTrainers(candidate).SetSearchSpace(trainer, space).SetTrainingTimeInSeconds(3).SetStudy(storage, "stop").RunAsync());
        watch.Stop();
        Assert.True(MLContextCancellation.IsSupported, "This ML.NET has no MLContext.CancelExecution to call.");
        var trial = Assert.Single(storage.GetTrials("stop"));
        Assert.Equal(IStudyStorage.BudgetError, trial.Error);
        Assert.Contains("ended before any trial finished", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(17), $"The experiment took {watch.Elapsed.TotalSeconds:F1} s on a 3 s budget.");
    }

    [Fact]
    public async Task ConfigurationErrorsAreClear()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.BreastCancer(ml);
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => new AutoMLExperiment(ml).SetDataset(data, 0.2)
            .SetBinaryClassificationMetric("Accuracy", "Outcome").SetMaxTrials(1).RunAsync());
        Assert.Contains("'Outcome' is not in the data", missing.Message);
        Assert.Contains("'Features'", missing.Message);
        Assert.Contains("'Label'", missing.Message);

        var metric = Assert.Throws<ArgumentException>(() => new AutoMLExperiment(ml).SetRegressionMetric("auc"));
        Assert.Contains("RSquared", metric.Message);

        var budget = await Assert.ThrowsAsync<InvalidOperationException>(() => new AutoMLExperiment(ml).SetDataset(data, 0.2).RunAsync());
        Assert.Contains("budget", budget.Message);

        var space = Assert.Throws<ArgumentException>(() => new AutoMLExperiment(ml).SetTrainers(new LinearCandidate())
            .SetSearchSpace("fasttree", new SearchSpaceBuilder().Int("number_of_leaves", 2, 8).Build()).BuildSearchSpace(100));
        Assert.Contains("'fasttree', which is not among the trainers", space.Message);
    }

    [Fact]
    public async Task TorchTrialsArePrunedOnEpochsAndKeepTheirCurve()
    {
        var ml = new MLContext(seed: 1);
        var space = new SearchSpaceBuilder()
            .PowerOfTwo("batch_size", 16, 64)
            .Int("epochs", 9, 9)
            .Double("learning_rate", 1e-5, 3e-2, logBase: true)
            .Int("width", 8, 32, logBase: true)
            .Build();
        var result = await new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3)
            .SetTrainers(new TorchMlpCandidate()).SetSearchSpace("torch-mlp", space)
            .SetTuner((s, seed) => new RandomTuner(s, seed))
            .SetPruner(new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3))
            .SetMaxTrials(12).SetSeed(2).RunAsync();
        var pruned = result.Trials.Where(t => t.Status == TrialStatus.Pruned).ToList();
        Assert.NotEmpty(pruned);
        Assert.All(pruned, t =>
        {
            Assert.NotEmpty(t.IntermediateValues);
            Assert.True(t.IntermediateValues.Count < 9, $"trial {t.Id} was pruned after all {t.IntermediateValues.Count} epochs");
        });
        Assert.Contains(result.Trials, t => t.Status == TrialStatus.Completed && t.IntermediateValues.Count == 9);
        // Torch trials measure their gradient noise scale, which the report sets beside the batch size.
        Assert.All(result.Trials.Where(t => t.Status == TrialStatus.Completed && t.Trainer == "torch-mlp"),
            t => Assert.True(double.Parse(t.Attributes[TrialAttributes.GradientNoiseScale], System.Globalization.CultureInfo.InvariantCulture) > 0));
        Assert.True(result.Best.TrainingReport!.Epochs.Count == 9);
    }

    [Fact]
    public async Task SameSeedGivesTheSameSearch()
    {
        async Task<List<string>> Run(params TrainerCandidate[] trainers)
        {
            var ml = new MLContext(seed: 1);
            var r = await new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3).SetTrainers(trainers)
                .SetSearchSpace("fasttree", new SearchSpaceBuilder().Int("number_of_leaves", 2, 16).Int("number_of_trees", 5, 20).Build())
                .SetEnsemble(false).SetMaxTrials(6).SetSeed(9).RunAsync();
            return r.Trials.Select(t => t.Parameters.ToJson() + " " + t.ValidationMetric).ToList();
        }
        Assert.Equal(await Run(new FastTreeCandidate()), await Run(new FastTreeCandidate()));
        // With several trainers, which one runs after the defaults follows their measured cost, which varies from run to
        // run; the defaults, in their fixed order, do not.
        Assert.Equal((await Run(new LinearCandidate(), new FastTreeCandidate())).Take(2), (await Run(new LinearCandidate(), new FastTreeCandidate())).Take(2));
    }

    [Fact]
    public async Task ATorchTrialIsTheSameUnderTheSameSeedThoughItsNoiseScaleMeasurementFollowsTheClock()
    {
        // The torch-mlp default measures the gradient noise scale within a share of its time, so which steps are
        // measured differs from run to run; its weights, and so its score, must not (they did before 2026-12-04).
        async Task<(double? Validation, int Epochs)> Run()
        {
            var ml = new MLContext(seed: 0);
            var r = await new AutoMLExperiment(ml).SetDataset(TestData.Concrete(ml), 0.2).SetRegressionMetric().SetTrainers(new TorchMlpCandidate())
                .SetEnsemble(false).SetMaxTrials(1).SetSeed(0).RunAsync();
            Assert.True(r.Best.Record.Attributes.ContainsKey(TrialAttributes.GradientNoiseScale));
            return (r.Best.Record.ValidationMetric, r.Best.TrainingReport!.Epochs.Count);
        }
        Assert.Equal(await Run(), await Run());
    }

    [Fact]
    public async Task GapPenaltyLowersTheObjectiveOfOverfittingTrials()
    {
        var ml = new MLContext(seed: 1);
        var result = await new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3)
            .SetTrainers(new FastTreeCandidate()).SetMaxTrials(3).SetSeed(1).SetGapPenalty(2).RunAsync();
        Assert.All(result.Trials, t =>
            Assert.Equal(t.ValidationMetric!.Value - 2 * Math.Max(0, t.GeneralizationGap!.Value), t.Objective!.Value, 9));
    }

    [Fact]
    public async Task AnInterruptedStudyResumesFromTheFile()
    {
        var path = Path.Combine(_dir, "study.db");
        var ml = new MLContext(seed: 1);
        var data = TestData.BreastCancer(ml);

        // First run: three trials complete, then the process "dies" inside the fourth (it never finishes).
        using var release = new ManualResetEventSlim();
        int calls = 0;
        var dying = new ScriptedCandidate((_, c) =>
        {
            if (Interlocked.Increment(ref calls) == 4) release.Wait();
            return ScriptedCandidate.Linear(c);
        });
        var first = StudyStorageFactory.Open(path);
        var abandoned = new AutoMLExperiment(ml).SetDataset(data, 0.3).SetTrainers(dying).SetEnsemble(false).SetMaxTrials(10).SetSeed(4)
            .SetStudy(first, "resume").RunAsync();
        while (first.GetStudy("resume") == null || first.GetTrials("resume").Count(t => t.IsFinished) < 3 || first.GetTrials("resume").Count < 4)
            await Task.Delay(20);

        // Second process: the trial left Running by the dead worker is recovered, re-queued, and the tuner re-fed.
        using var second = StudyStorageFactory.Open(path, new SqliteStudyStorageOptions { HeartbeatTimeout = TimeSpan.FromMilliseconds(200) });
        await Task.Delay(400);
        var monitor = new RecordingMonitor();
        var resumed = await new AutoMLExperiment(ml).SetDataset(data, 0.3)
            .SetTrainers(new ScriptedCandidate((_, c) => ScriptedCandidate.Linear(c))).SetEnsemble(false).SetMaxTrials(5).SetSeed(4)
            .SetStudy(second, "resume").SetMonitor(monitor).RunAsync();

        var trials = resumed.Trials;
        Assert.Equal(4 + 5, trials.Count);
        var interrupted = trials.Single(t => t.Error == IStudyStorage.InterruptedError);
        Assert.Equal(TrialStatus.Failed, interrupted.Status);
        // The interrupted configuration runs again first.
        var rerun = trials.Where(t => t.Id > interrupted.Id && t.Status == TrialStatus.Completed).OrderBy(t => t.Id).First();
        Assert.Equal(interrupted.Parameters, rerun.Parameters);
        Assert.Equal(3 + 5, trials.Count(t => t.Status == TrialStatus.Completed));
        Assert.Equal(5, monitor.Completed);

        release.Set();
        await Assert.ThrowsAnyAsync<Exception>(() => abandoned); // the dead worker may not finish a recovered trial
        first.Dispose();
    }

    [Fact]
    public async Task TrialsStoppedByCancellationRunAgainOnResumeOnceAndTeachTheTunerNothing()
    {
        var path = Path.Combine(_dir, "cancelled.db");
        var ml = new MLContext(seed: 1);
        var data = TestData.BreastCancer(ml);

        // First run: two trials complete, then the user presses Ctrl+C inside the third.
        using var ctrlC = new CancellationTokenSource();
        int calls = 0;
        var candidate = new ScriptedCandidate((_, c) =>
        {
            if (Interlocked.Increment(ref calls) == 3)
            {
                ctrlC.Cancel();
                c.CancellationToken.ThrowIfCancellationRequested();
            }
            return ScriptedCandidate.Linear(c);
        });
        using (var storage = StudyStorageFactory.Open(path))
        {
            try
            {
                await new AutoMLExperiment(ml).SetDataset(data, 0.3).SetTrainers(candidate).SetEnsemble(false).SetMaxTrials(10).SetSeed(2)
                    .SetStudy(storage, "ctrl-c").RunAsync(ctrlC.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or AutoMLException) { }
            Assert.Equal(IStudyStorage.CancelledError, storage.GetTrials("ctrl-c").Single(t => t.Status == TrialStatus.Failed).Error);
        }

        // Resume: the cancelled configuration runs first, and the tuner learns only from the two real outcomes.
        var updates = new List<TrialResult>();
        TrialRecord cancelled;
        using (var storage = StudyStorageFactory.Open(path))
        {
            var resumed = await new AutoMLExperiment(ml).SetDataset(data, 0.3).SetTrainers(new ScriptedCandidate((_, c) => ScriptedCandidate.Linear(c)))
                .SetTuner((space, seed) => new RecordingTuner(new RandomTuner(space, seed), updates: updates))
                .SetEnsemble(false).SetMaxTrials(3).SetSeed(2).SetStudy(storage, "ctrl-c").RunAsync();
            cancelled = resumed.Trials.Single(t => t.Error == IStudyStorage.CancelledError);
            var rerun = resumed.Trials.Where(t => t.Id > cancelled.Id).OrderBy(t => t.Id).First();
            Assert.Equal(cancelled.Parameters, rerun.Parameters);
            Assert.Equal(TrialStatus.Completed, rerun.Status);
            Assert.Equal(rerun.Id.ToString(), cancelled.Attributes[TrialAttributes.RequeuedAs]);
            Assert.DoesNotContain(updates, u => u.TrialId == cancelled.Id);
            Assert.Equal(2 + 3, updates.Count);
        }

        // A second resume does not run it a third time.
        using (var storage = StudyStorageFactory.Open(path))
        {
            var again = await new AutoMLExperiment(ml).SetDataset(data, 0.3).SetTrainers(new ScriptedCandidate((_, c) => ScriptedCandidate.Linear(c)))
                .SetEnsemble(false).SetMaxTrials(1).SetSeed(2).SetStudy(storage, "ctrl-c").RunAsync();
            Assert.Equal(1, again.Trials.Count(t => t.Parameters.Equals(cancelled.Parameters) && t.Status == TrialStatus.Completed));
        }
    }

    [Fact]
    public async Task RefitTrainsTheBestConfigurationOnTrainingPlusValidationRows()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.3, seed: 1);
        var result = await new AutoMLExperiment(ml).SetDataset(split.TrainSet, split.TestSet).SetRegressionMetric()
            .SetTrainers(new TorchMlpCandidate()).SetSearchSpace("torch-mlp", new SearchSpaceBuilder().Int("epochs", 10, 10).PowerOfTwo("batch_size", 32, 64).Build())
            .SetEnsemble(false).SetMaxTrials(2).SetRefit(true).RunAsync();
        Assert.True(result.Best.Refitted);
        long trainRows = split.TrainSet.GetColumn<float>("Label").Count(), validationRows = split.TestSet.GetColumn<float>("Label").Count();
        var report = result.Best.TrainingReport!;
        // The refit holds out 10% for its own validation curve; the rest is every row of both sets.
        Assert.Equal(trainRows + validationRows, report.TrainRows + report.ValidationRows);
        Assert.True(ml.Regression.Evaluate(result.Best.Model.Transform(split.TestSet)).RSquared > 0.5);
    }

    [Fact]
    public async Task ARefitIsSkippedWhenTheBudgetHasNoRoomForItAndRunsWhenItHas()
    {
        // Each fit takes a second: after the first trial of a 1.5-second budget, 0.65 s are left with the allowance,
        // and a refit on 1/0.7 times the rows is predicted to take about 1.4 s.
        var ml = new MLContext(seed: 1);
        var data = TestData.BreastCancer(ml);
        var (slow, rowsSeen) = SlowCandidate(1000);

        var tight = await new AutoMLExperiment(ml).SetDataset(data, 0.3).SetTrainers(slow)
            .SetEnsemble(false).SetTrainingTimeInSeconds(1.5).SetRefit(true).SetSeed(1).RunAsync();
        Assert.False(tight.Best.Refitted);
        Assert.DoesNotContain(rowsSeen, rows => rows > rowsSeen.Min());

        rowsSeen.Clear();
        var roomy = await new AutoMLExperiment(ml).SetDataset(data, 0.3).SetTrainers(slow)
            .SetEnsemble(false).SetTrainingTimeInSeconds(30).SetMaxTrials(1).SetRefit(true).SetSeed(1).RunAsync();
        Assert.True(roomy.Best.Refitted);
        Assert.Equal(new[] { rowsSeen.Min(), 569 }, rowsSeen.ToArray()); // the trial's training rows, then all of breast-cancer's
    }

    [Fact]
    public async Task TheSearchLeavesTheBestTrialsRefitTimeUnspentSoTheRefitFitsTheBudget()
    {
        // Fits of 0.4 s under a 4-second budget: a search that spent it all would leave 0.4 s of allowance for a refit
        // predicted at 0.4 / 0.7 = 0.57 s. The search stops that much early instead, and the refit runs within the budget.
        var ml = new MLContext(seed: 1);
        var (slow, rowsSeen) = SlowCandidate(400);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3).SetTrainers(slow)
            .SetEnsemble(false).SetTrainingTimeInSeconds(4).SetRefit(true).SetSeed(1).RunAsync();
        clock.Stop();

        Assert.True(result.Best.Refitted);
        Assert.Equal(569, rowsSeen.Last());
        Assert.True(rowsSeen.Count >= 4, $"{rowsSeen.Count} fits: the search should have used most of the budget");
        Assert.True(clock.Elapsed.TotalSeconds <= 4 * 1.1 + 1, $"the run took {clock.Elapsed.TotalSeconds:F1} s of a 4-second budget");
    }

    [Fact]
    public async Task ATrialThatOutlastsTheTimeTheSearchHadLeftIsStoppedThereSoTheRefitStillRuns()
    {
        // x = 0 takes 2 s and is the best; x = 1 was predicted from it to fit what the search had left (8 s less 2 s
        // less a refit of about 2.9 s) but takes 30 s. Stopped at its start's deadline, the run refits and ends near
        // 5 s; let run to the budget's end, it would leave no time for the refit.
        var ml = new MLContext(seed: 1);
        var slow = new ScriptedCandidate((x, c) =>
        {
            if (c.Validation != null && c.CancellationToken.WaitHandle.WaitOne(x == 0 ? 2000 : 30000)) c.CancellationToken.ThrowIfCancellationRequested();
            return ScriptedCandidate.Regularized(x, c);
        }, new SearchSpaceBuilder().Choice("x", 0.0, 1.0).Build());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3).SetTrainers(slow).SetTuner((s, _) => new GridTuner(s))
            .SetEnsemble(false).SetTrainingTimeInSeconds(8).SetRefit(true).SetSeed(1).RunAsync();
        clock.Stop();

        var stopped = Assert.Single(result.Trials, t => t.Status != TrialStatus.Completed);
        Assert.Equal(IStudyStorage.BudgetError, stopped.Error);
        Assert.True(result.Best.Refitted);
        Assert.True(clock.Elapsed.TotalSeconds < 7.5, $"the run took {clock.Elapsed.TotalSeconds:F1} s of an 8-second budget");
    }

    [Fact]
    public async Task ARefitThatRunsPastTheBudgetIsStoppedThereAndTheTrialsModelIsSaved()
    {
        // Each trial takes 0.3 s, so a refit is predicted at about 0.4 s and reserved; the refit (no validation rows)
        // takes 30 s instead. It is stopped at the end of the 3-second budget and its allowance, and the run returns
        // the best trial's model.
        var ml = new MLContext(seed: 1);
        var data = TestData.BreastCancer(ml);
        var slowRefit = new ScriptedCandidate((x, c) =>
        {
            if (c.CancellationToken.WaitHandle.WaitOne(c.Validation != null ? 300 : 30000)) c.CancellationToken.ThrowIfCancellationRequested();
            return ScriptedCandidate.Regularized(x, c);
        });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await new AutoMLExperiment(ml).SetDataset(data, 0.3).SetTrainers(slowRefit)
            .SetEnsemble(false).SetTrainingTimeInSeconds(3).SetRefit(true).SetSeed(1).RunAsync();
        clock.Stop();

        Assert.True(result.Best.RefitStopped);
        Assert.False(result.Best.Refitted);
        Assert.Empty(result.Best.RefittedTrialIds);
        Assert.True(clock.Elapsed.TotalSeconds < 3 * 1.1 + 1, $"the run took {clock.Elapsed.TotalSeconds:F1} s of a 3-second budget");
        var accuracy = ml.BinaryClassification.Evaluate(result.Best.Model.Transform(data)).Accuracy;
        Assert.True(accuracy > 0.85, $"the saved trial's model scored {accuracy:F3}");
    }

    [Theory]
    [InlineData(10, 2, 5, 5)]    // the refit fits: its time is kept
    [InlineData(100, 40, 60, 60)]  // it ends at the budget: still within the allowance
    [InlineData(30, 8, 27, 0)]   // it would end at 35 s of a 30-second budget: nothing is kept for it
    public void TheSearchKeepsTimeOnlyForARefitThatCanStillFit(double budget, double elapsed, double refit, double reserved) =>
        Assert.Equal(reserved, RunEnd.RefitReserve(budget, elapsed, refit));

    [Theory]
    [InlineData(30, 20, 5, 2, 7)]  // the ensemble step and the refit both fit: both are kept
    [InlineData(30, 28, 5, 2, 2)]  // the refit would end past the allowance once the ensemble step has run: only the step is kept
    [InlineData(30, 10, 0, 3, 3)]  // no refit: the ensemble step alone
    public void TheSearchKeepsTimeForTheEnsembleStepAndARefitThatCanStillFit(double budget, double elapsed, double refit, double ensemble, double reserved) =>
        Assert.Equal(reserved, RunEnd.Reserve(budget, elapsed, refit, ensemble));

    [Theory]
    [InlineData(120, 10, 6, 1, 20, 27)]   // all three fit, and the second look takes at most a quarter of the budget
    [InlineData(120, 10, 6, 1, 40, 7)]    // a second look of a third of the budget is not kept for
    [InlineData(120, 110, 6, 1, 20, 7)]   // nor one that no longer fits after the ensemble step and the refit
    [InlineData(30, 10, 0, 1, 7, 8)]      // no refit: the ensemble step and the second look
    public void TheSearchKeepsTimeForASecondLookOfAtMostAQuarterOfTheBudget(double budget, double elapsed, double refit, double ensemble,
        double secondLook, double reserved) =>
        Assert.Equal(reserved, RunEnd.Reserve(budget, elapsed, refit, ensemble, secondLook));

    [Theory]
    [InlineData(new[] { 10.0, 2.0 }, new[] { 0.7, 0.3 }, 14, new[] { 1 })]        // the heavier member's 12.5 s fit, the other's 2.5 s no longer do
    [InlineData(new[] { 20.0, 2.0 }, new[] { 0.7, 0.3 }, 14, new[] { 2 })]        // the heavier member's 25 s do not fit; the lighter one's do
    [InlineData(new[] { 2.0, 4.0, 1.0 }, new[] { 0.2, 0.5, 0.3 }, 9, new[] { 1, 2, 3 })] // all of them fit (8.75 s)
    [InlineData(new[] { 9.0 }, new[] { 1.0 }, 10, new int[0])]                    // a single model's refit fits or not
    public void AnEnsemblesMembersAreRefittedLargestWeightFirstAsFarAsTheBudgetGoes(double[] trialSeconds, double[] weights, double secondsLeft, int[] refitted)
    {
        var members = trialSeconds.Select((s, i) => new TrialRecord { Id = i + 1, Parameters = Parameter.FromNode(new System.Text.Json.Nodes.JsonObject()), DurationSeconds = s }).ToList();
        Assert.Equal(refitted, RunEnd.Refittable(members, weights, 1.25, secondsLeft).Order());
    }

    /// <summary>A linear model that takes <paramref name="milliseconds"/> to fit, and the training rows of each fit.</summary>
    static (ScriptedCandidate Candidate, System.Collections.Concurrent.ConcurrentQueue<int> RowsSeen) SlowCandidate(int milliseconds)
    {
        var rowsSeen = new System.Collections.Concurrent.ConcurrentQueue<int>();
        return (new ScriptedCandidate((_, c) => { rowsSeen.Enqueue(c.TrainRows); Thread.Sleep(milliseconds); return ScriptedCandidate.Linear(c); }), rowsSeen);
    }

    [Fact]
    public void AppendedDataViewYieldsBothSetsInOrder()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Concrete(ml);
        var first = ml.Data.TakeRows(data, 10);
        var second = ml.Data.SkipRows(data, 1000);
        var appended = new AutoML.Data.AppendedDataView(first, second);
        var labels = appended.GetColumn<float>("Label").ToList();
        Assert.Equal(first.GetColumn<float>("Label").Concat(second.GetColumn<float>("Label")), labels);
        Assert.Equal(40, labels.Count);
        var features = appended.GetColumn<float[]>("Features").ToList();
        Assert.Equal(second.GetColumn<float[]>("Features").Last(), features.Last());
    }

    sealed class RecordingMonitor : IMonitor
    {
        int _completed, _failed;
        public int Completed => _completed;
        public int Failed => _failed;
        public void ReportCompletedTrial(TrialRecord trial) => Interlocked.Increment(ref _completed);
        public void ReportFailTrial(TrialRecord trial, Exception? exception) => Interlocked.Increment(ref _failed);
    }
}
