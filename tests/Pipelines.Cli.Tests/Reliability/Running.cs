using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Pipelines.AutoML.Trials;

namespace Pipelines.Cli.Tests.Reliability;

/// <summary>Watching and disturbing a run that is under way in another process.</summary>
static class Running
{
    /// <summary>Waits until study.db holds <paramref name="finished"/> finished trials (and, if asked, one running).</summary>
    public static IReadOnlyList<TrialRecord> WaitForFinishedTrials(Process process, string folder, string study, int finished, bool andOneRunning = false)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (process.HasExited) throw new Xunit.Sdk.XunitException($"the run ended early with exit code {process.ExitCode}.");
            if (File.Exists(Path.Combine(folder, "study.db")))
            {
                var trials = Outputs.Trials(folder, study);
                if (trials.Count(t => t.IsFinished) >= finished && (!andOneRunning || trials.Any(t => !t.IsFinished))) return trials;
            }
            Thread.Sleep(100);
        }
        throw new TimeoutException($"study.db did not reach {finished} finished trials in a minute.");
    }

    /// <summary>A second SQLite connection holding the file's write lock until disposed.</summary>
    public static SqliteConnection Exclusive(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 10000; BEGIN EXCLUSIVE;";
        command.ExecuteNonQuery();
        return connection;
    }
}
