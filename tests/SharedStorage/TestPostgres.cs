using Npgsql;

namespace Pipelines.Testing;

/// <summary>
/// The PostgreSQL server the tests use: its URL in <c>PIPELINES_TEST_POSTGRES</c> (set by <c>.ci/run</c>; locally
/// <c>eval "$(.ci/postgres start)"</c>). Without it these tests fail, saying so: a skipped test would hide that
/// the shared-study storage went untested. Each test gets a database of its own, dropped at the end.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "PIPELINES_TEST_POSTGRES";

    public static string ServerUrl => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url ? url
        : throw new InvalidOperationException($"{Variable} is not set: the PostgreSQL tests need a server. Start a throw-away one with " +
            "`eval \"$(.ci/postgres start)\"` (`.ci/postgres stop` ends it; .ci/run does both) and run the tests again.");

    /// <summary>The role that .ci/postgres lets in with a password only, and that password.</summary>
    public const string PasswordUser = "pipelines_password", RightPassword = "right-password";

    /// <summary>A new, empty database on the server (owned by <paramref name="owner"/> when given); its URL.</summary>
    public static string CreateDatabase(string? owner = null)
    {
        var name = "pt_" + Guid.NewGuid().ToString("N")[..16];
        Admin(owner is null ? $"CREATE DATABASE {name};" : $"CREATE DATABASE {name} OWNER {owner};");
        return WithDatabase(ServerUrl, name);
    }

    public static void DropDatabase(string url)
    {
        var name = new Uri(url).AbsolutePath.Trim('/');
        Admin($"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
    }

    /// <summary>The URL as SQLAlchemy (and so Optuna) takes it, with the psycopg2 driver named.</summary>
    public static string ForOptuna(string url) => "postgresql+psycopg2://" + url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];

    static string WithDatabase(string url, string database)
    {
        var uri = new Uri(url);
        return $"{uri.Scheme}://{uri.UserInfo}@{uri.Host}:{uri.Port}/{database}";
    }

    /// <summary>The first column of a query's rows, as text, on the database of <paramref name="url"/>.</summary>
    public static List<string> Column(string url, string sql)
    {
        using var connection = Connect(url, new Uri(url).AbsolutePath.Trim('/'));
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return values;
    }

    static void Admin(string sql)
    {
        using var connection = Connect(ServerUrl, "postgres");
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    static NpgsqlConnection Connect(string url, string database)
    {
        var uri = new Uri(url);
        var user = uri.UserInfo.Split(':');
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host, Port = uri.Port, Username = Uri.UnescapeDataString(user[0]), Database = database, Pooling = false,
        };
        if (user.Length > 1) builder.Password = Uri.UnescapeDataString(user[1]);
        var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        return connection;
    }
}
