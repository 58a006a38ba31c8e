namespace Pipelines.AutoML.Storage;

/// <summary>
/// The one place that turns a storage location into an <see cref="IStudyStorage"/>, so that nothing else names a
/// concrete storage. A location is a URL in SQLAlchemy's (and so Optuna's) form, <c>sqlite:///relative/study.db</c>,
/// <c>sqlite:////absolute/study.db</c> or <c>postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE</c>, or a plain file
/// path, which means a SQLite file. Studies are kept in Optuna's schema (<see cref="RdbStudyStorage"/>); a study file
/// written before that (<see cref="SqliteSchema"/>) is opened as it is by <see cref="SqliteStudyStorage"/>.
/// </summary>
public static class StudyStorageFactory
{
    const string SqliteScheme = "sqlite:///";

    /// <summary>
    /// Opens (creating it if needed) the storage at <paramref name="location"/>, wrapped in a
    /// <see cref="RetryingStudyStorage"/> with the options' <see cref="StudyStorageOptions.Retry"/> policy. Opening is
    /// retried by the same policy: a study file another process holds locked (or a database that does not answer yet)
    /// costs waits, and ends as <see cref="StudyUnavailableException"/> only when every attempt failed.
    /// </summary>
    /// <exception cref="ArgumentException">The location is empty or names a kind of storage this build does not have.</exception>
    /// <exception cref="StudyStorageException">The storage exists but cannot be opened, or is damaged.</exception>
    public static IStudyStorage Open(string location, StudyStorageOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        options ??= new StudyStorageOptions();
        return new RetryingStudyStorage(options.Retry.Run(() => OpenOnce(location, options)), options.Retry);
    }

    static IStudyStorage OpenOnce(string location, StudyStorageOptions options)
    {
        if (PostgresUrl.IsPostgres(location)) return RdbStudyStorage.Postgres(location, options);
        var path = SqlitePath(location);
        var sqlite = options as SqliteStudyStorageOptions ?? new SqliteStudyStorageOptions
        {
            Worker = options.Worker, HeartbeatTimeout = options.HeartbeatTimeout, Clock = options.Clock, Retry = options.Retry,
        };
        return SqliteSchema.IsThisSchema(path) ? new SqliteStudyStorage(path, sqlite) : RdbStudyStorage.Sqlite(path, sqlite);
    }

    /// <summary>Whether <paramref name="location"/> names a database server (shared by workers on many machines) rather than a file.</summary>
    public static bool IsServer(string location) => PostgresUrl.IsPostgres(location);

    /// <summary>A study kept in this process only: for an experiment run without a study, and for tests.</summary>
    public static IStudyStorage InMemory() => new InMemoryStudyStorage();

    /// <summary>The file a SQLite location names, or an error naming what was expected.</summary>
    public static string SqlitePath(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        var text = location.Trim();
        if (text.StartsWith(SqliteScheme, StringComparison.OrdinalIgnoreCase)) text = text[SqliteScheme.Length..];
        else if (text.Contains("://", StringComparison.Ordinal))
            throw new ArgumentException($"The storage '{Describe(text)}' is not one this build can open: give a SQLite file path, sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE.", nameof(location));
        if (text.Length == 0) throw new ArgumentException($"The storage '{location}' names no file: write sqlite:///PATH.", nameof(location));
        return Path.GetFullPath(text);
    }

    /// <summary>Checks <paramref name="location"/> without opening it: a malformed URL throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static void Check(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (PostgresUrl.IsPostgres(location)) PostgresUrl.Parse(location);
        else SqlitePath(location);
    }

    /// <summary>A URL without its password, to be kept (settings, the study's record): the password comes from PGPASSWORD or .pgpass when it is opened again.</summary>
    public static string WithoutPassword(string location)
    {
        int scheme = location.IndexOf("://", StringComparison.Ordinal), at = location.LastIndexOf('@');
        if (scheme < 0 || at < scheme) return location;
        int colon = location.IndexOf(':', scheme + 3);
        return colon >= 0 && colon < at ? location[..colon] + location[at..] : location;
    }

    /// <summary>A URL with any password replaced by ***, for messages.</summary>
    public static string Describe(string location)
    {
        int scheme = location.IndexOf("://", StringComparison.Ordinal), at = location.LastIndexOf('@');
        if (scheme < 0 || at < scheme) return location;
        int colon = location.IndexOf(':', scheme + 3);
        return colon >= 0 && colon < at ? location[..(colon + 1)] + "***" + location[at..] : location;
    }
}
