using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.Bench;

/// <summary>
/// Issue 15's storage benchmark: N worker processes (this program, `storage-worker`) on one PostgreSQL study, each
/// making the storage calls a real worker makes for a trial (the look at the study before the ask, create, parameters,
/// seed, and per epoch a report and the pruner's read of the study), around a stand-in trainer that sleeps. Reports
/// trials per second against the ideal (workers / trial seconds), the time each trial spent in the database, and
/// whether any trial number was taken twice. Results in docs/benchmarks.md.
/// </summary>
static class StorageBenchmark
{
    const string Study = "storage-benchmark";
    const int Epochs = 3;

    public static string Run(string url, int workers, int trials, double trialSeconds)
    {
        using (var storage = StudyStorageFactory.Open(url))
            storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "accuracy", "{}");
        var clock = Stopwatch.StartNew();
        var processes = Enumerable.Range(0, workers).Select(i => Start(url, trials / workers + (i < trials % workers ? 1 : 0), trialSeconds)).ToList();
        var outputs = processes.Select(p => p.StandardOutput.ReadToEndAsync()).ToList();
        foreach (var process in processes) process.WaitForExit();
        double wall = clock.Elapsed.TotalSeconds;
        var dbSeconds = outputs.Select(o => double.Parse(o.Result.Trim(), CultureInfo.InvariantCulture)).Sum();
        var (count, distinct) = Numbers(url);
        double ideal = workers / trialSeconds, rate = count / wall;
        return $"| {workers} | {count} | {trialSeconds:0.###} | {wall:0.0} | {rate:0.0} | {ideal:0} | {rate / ideal:P0} | {1000 * dbSeconds / count:0.0} | {(count == distinct ? "none" : $"{count - distinct}")} |";
    }

    /// <summary>One worker: <paramref name="trials"/> trials; prints the seconds it spent in storage calls.</summary>
    public static int Work(string url, int trials, double trialSeconds)
    {
        using var storage = StudyStorageFactory.Open(url);
        // As the experiment's loop reads the study: finished trials are kept, only the rest is read again.
        var study = new StudyTrials(storage, Study);
        var inDatabase = new Stopwatch();
        T Db<T>(Func<T> call) { inDatabase.Start(); try { return call(); } finally { inDatabase.Stop(); } }
        for (int i = 0; i < trials; i++)
        {
            Db(() => storage.RecoverInterruptedTrials(Study));
            Db(study.Read);
            int id = Db(() => storage.CreateTrial(Study, Parameter.CreateObject(), null, DateTimeOffset.UtcNow));
            Db(() => { storage.SetTrialParameters(id, Parameter.FromJson($$$"""{"option":"stand-in","parameters":{"x":{{{i}}}}}"""), "stand-in"); return 0; });
            Db(() => { storage.SetTrialAttribute(id, TrialAttributes.Seed, i.ToString(CultureInfo.InvariantCulture)); return 0; });
            for (int epoch = 0; epoch < Epochs; epoch++)
            {
                Thread.Sleep(TimeSpan.FromSeconds(trialSeconds / Epochs));
                Db(() => { storage.ReportIntermediate(id, epoch, 0.5 + epoch / 10.0); return 0; });
                Db(() => storage.GetTrial(id));
                Db(study.Read);
            }
            Db(() => { storage.FinishTrial(id, TrialStatus.Completed, 0.7, 0.7, 0.75, 0.05, null, DateTimeOffset.UtcNow, trialSeconds); return 0; });
        }
        Console.WriteLine(inDatabase.Elapsed.TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
        return 0;
    }

    static Process Start(string url, int trials, double trialSeconds)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (!Environment.ProcessPath!.EndsWith("Pipelines.Bench", StringComparison.Ordinal)) start.ArgumentList.Add(typeof(StorageBenchmark).Assembly.Location);
        foreach (var argument in new[] { "storage-worker", url, trials.ToString(CultureInfo.InvariantCulture), trialSeconds.ToString("R", CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    /// <summary>The study's trial count and how many distinct numbers they hold.</summary>
    static (long Count, long Distinct) Numbers(string url)
    {
        var uri = new Uri(url);
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.Port, Username = uri.UserInfo.Split(':')[0], Database = uri.AbsolutePath.Trim('/'), Pooling = false };
        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT count(*), count(DISTINCT number) FROM trials t JOIN studies s ON s.study_id = t.study_id WHERE s.study_name = @study;", connection);
        command.Parameters.AddWithValue("study", Study);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
