using Pipelines.Testing;

namespace Pipelines.Cli.Tests;

/// <summary>
/// Bad storage input ends with exit 1 and one error naming which: a malformed URL, a refused connection, a wrong
/// password, a missing database, a study of another task or of other data. A password never reaches the output,
/// settings.json or the log.
/// </summary>
public sealed class SharedStudyErrorTests : IDisposable
{
    readonly TempFolder _temp = new();
    readonly string _url = TestPostgres.CreateDatabase(TestPostgres.PasswordUser);

    public void Dispose()
    {
        _temp.Dispose();
        TestPostgres.DropDatabase(_url);
    }

    string Server => new Uri(_url).Authority.Split('@').Last();

    string Database => new Uri(_url).AbsolutePath.Trim('/');

    ToolResult Classify(string storage, string dataset, params string[] more) => Tool.Run(new[]
    {
        "classification", "--dataset", dataset, "--label-col", "species", "--trainers", "linear", "--max-trials", "1",
        "--storage", storage, "--study", "iris", "-o", _temp.File("out-" + Guid.NewGuid().ToString("N")),
    }.Concat(more).ToArray());

    [Fact]
    public void EachBadStorageIsNamedAndThePasswordNeverShown()
    {
        var iris = Tool.Dataset("iris.csv");
        var cases = new (string Url, string Fragment)[]
        {
            ($"postgresql://someone:hunter2@{Server}", "names no database"),
            ($"postgresql://someone:hunter2@127.0.0.1:1/{Database}", "refused the connection"),
            ($"postgresql://{TestPostgres.PasswordUser}:hunter2@{Server}/{Database}", "refused the user or password"),
            // The server trusts postgres (a password is then not asked for), so the database is what fails.
            ($"postgresql://postgres:hunter2@{Server}/no_such_database", "no such database"),
            ("mysql://someone:hunter2@host/db", "not one this build can open"),
        };
        foreach (var (url, fragment) in cases)
        {
            var result = Classify(url, iris);
            result.AssertOneClearError(1, fragment);
            Assert.DoesNotContain("hunter2", result.StdOut + result.StdErr);
            Assert.Empty(Directory.GetDirectories(_temp.Path));
        }
    }

    [Fact]
    public void ThePasswordIsTakenFromTheUrlButWrittenNowhere()
    {
        var url = $"postgresql://{TestPostgres.PasswordUser}:{TestPostgres.RightPassword}@{Server}/{Database}";
        var output = _temp.File("run");
        var log = _temp.File("run.log");
        var result = Tool.Run("classification", "--dataset", Tool.Dataset("iris.csv"), "--label-col", "species", "--trainers", "linear",
            "--max-trials", "1", "--storage", url, "--study", "iris", "-o", output, "--log-file-path", log);
        result.AssertExitCode(0);
        var written = Directory.GetFiles(output, "*", SearchOption.AllDirectories).Append(log).Select(File.ReadAllText);
        Assert.All(written.Append(result.StdOut + result.StdErr), text => Assert.DoesNotContain(TestPostgres.RightPassword, text));
        Assert.Contains($"postgresql://{TestPostgres.PasswordUser}@{Server}/{Database}", File.ReadAllText(Path.Combine(output, "settings.json")));
        Assert.Contains("***", File.ReadAllText(log));
    }

    [Fact]
    public void AStudyOfAnotherTaskOrOfOtherDataIsRefused()
    {
        var data = _temp.Write("iris.csv", File.ReadAllLines(Tool.Dataset("iris.csv")));
        Classify(_url, data).AssertExitCode(0);

        Tool.Run("regression", "--dataset", Tool.Dataset("concrete.csv"), "--label-col", "compressive_strength", "--trainers", "linear",
            "--max-trials", "1", "--storage", _url, "--study", "iris", "-o", _temp.File("concrete"))
            .AssertOneClearError(1, "Study 'iris'", "classification");

        // The same path with other bytes, as on a machine whose copy of the data differs.
        File.WriteAllLines(data, File.ReadAllLines(data).Take(120));
        Classify(_url, data).AssertOneClearError(1, "created on other data", "byte for byte");
        Tool.Run("worker", "--storage", _url, "--study", "iris", "--max-trials", "1", "-o", _temp.File("worker"))
            .AssertOneClearError(1, "created on other data");
        Tool.Run("worker", "--storage", _url, "--study", "no-such-study", "--max-trials", "1", "-o", _temp.File("worker2"))
            .AssertOneClearError(1, "holds no study named 'no-such-study'", "iris");

        // As a newer Optuna's `optuna storage upgrade` would leave it.
        TestPostgres.Column(_url, "UPDATE alembic_version SET version_num = 'v9.0.0.a' RETURNING version_num;");
        Tool.Run("worker", "--storage", _url, "--study", "iris", "--max-trials", "1", "-o", _temp.File("worker3"))
            .AssertOneClearError(1, "Optuna schema revision 'v9.0.0.a'");
    }
}
