using Npgsql;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// A PostgreSQL study location in SQLAlchemy's (and so Optuna's) URL form,
/// <c>postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE</c> (also <c>postgresql+psycopg2://</c> and
/// <c>postgres://</c>), as an Npgsql connection string. A password left out of the URL comes from
/// <c>PGPASSWORD</c> or the <c>.pgpass</c> file (<c>PGPASSFILE</c>), as for psql.
/// </summary>
internal static class PostgresUrl
{
    static readonly string[] Schemes = { "postgresql://", "postgresql+psycopg2://", "postgres://" };

    public static bool IsPostgres(string location) =>
        Schemes.Any(s => location.TrimStart().StartsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <exception cref="ArgumentException">The URL is malformed: the message names what is missing, the password masked.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string location)
    {
        var text = location.Trim();
        var scheme = Schemes.First(s => text.StartsWith(s, StringComparison.OrdinalIgnoreCase));
        if (!Uri.TryCreate("postgresql://" + text[scheme.Length..], UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw Malformed(location, "it has no host");
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length == 0 || database.Contains('/')) throw Malformed(location, "it names no database after the host");
        var (user, password) = UserInfo(uri.UserInfo);
        if (user.Length == 0) throw Malformed(location, "it names no user before '@'");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
            Username = user,
            // One connection per storage, reopened after a failure: a pool would hand back connections a restarted
            // server has already closed.
            Pooling = false,
            Timeout = 15,
            IncludeErrorDetail = false,
        };
        password ??= Environment.GetEnvironmentVariable("PGPASSWORD");
        if (password is not null) builder.Password = password;
        return builder;
    }

    static (string User, string? Password) UserInfo(string userInfo)
    {
        int colon = userInfo.IndexOf(':');
        return colon < 0
            ? (Uri.UnescapeDataString(userInfo), null)
            : (Uri.UnescapeDataString(userInfo[..colon]), Uri.UnescapeDataString(userInfo[(colon + 1)..]));
    }

    static ArgumentException Malformed(string location, string why) =>
        new($"The storage URL '{StudyStorageFactory.Describe(location)}' is malformed: {why}. Write postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE.");
}
