namespace SharpCache.Configuration;

/// <summary>
/// Settings read once per process from the environment (sccache's variable names; the TOML file
/// comes with the shared-storage work). Defaults live here and nowhere else.
/// To add a setting: add a property with its default, read it in <see cref="FromEnvironment"/>,
/// and document the variable in README.md.
/// </summary>
internal sealed record SharpCacheOptions
{
    public const long DefaultMaxCacheSize = 10L << 30;
    public const int DefaultIdleTimeoutSeconds = 600;

    /// <summary><c>SCCACHE_DIR</c>; default <c>$XDG_CACHE_HOME/sharpcache</c> or <c>~/.cache/sharpcache</c>.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary><c>SCCACHE_CACHE_SIZE</c> (e.g. <c>10G</c>).</summary>
    public long MaxCacheSize { get; init; } = DefaultMaxCacheSize;

    /// <summary><c>SCCACHE_IDLE_TIMEOUT</c> seconds; 0 = never exit.</summary>
    public int IdleTimeoutSeconds { get; init; } = DefaultIdleTimeoutSeconds;

    /// <summary>
    /// <c>SCCACHE_SERVER_UDS</c>; default <c>$XDG_RUNTIME_DIR/sharpcache/server.sock</c> or
    /// <c>/tmp/sharpcache-$UID/server.sock</c>. Ignored when <see cref="ServerPort"/> is set.
    /// </summary>
    public required string ServerSocketPath { get; init; }

    /// <summary><c>SCCACHE_SERVER_PORT</c>: use loopback TCP on this port instead of the Unix socket.</summary>
    public int? ServerPort { get; init; }

    /// <summary><c>SCCACHE_CACHE_ZSTD_LEVEL</c> (1-22), default 3.</summary>
    public int ZstdLevel { get; init; } = 3;

    /// <summary><c>SCCACHE_RECACHE</c> present: ignore the cached entry, recompile, overwrite.</summary>
    public bool Recache { get; init; }

    /// <summary><c>SCCACHE_NO_CACHE</c> present: compile without lookup or store.</summary>
    public bool NoCache { get; init; }

    /// <summary><c>SCCACHE_LOG</c> filter (e.g. <c>debug</c>, <c>sccache=trace</c>); null = no logging.</summary>
    public string? LogFilter { get; init; }

    /// <summary><c>SCCACHE_ERROR_LOG</c>: file the daemon appends its log and errors to.</summary>
    public string? ErrorLogPath { get; init; }

    /// <summary><c>SCCACHE_MAX_FRAME_LENGTH</c>: largest IPC frame the daemon accepts.</summary>
    public int MaxFrameLength { get; init; } = 8 << 20;

    public static SharpCacheOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    public static SharpCacheOptions FromEnvironment(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var home = env("HOME") ?? "/tmp";
        var cacheHome = NonEmpty(env("XDG_CACHE_HOME")) ?? Path.Combine(home, ".cache");
        var dir = NonEmpty(env("SCCACHE_DIR")) ?? Path.Combine(cacheHome, "sharpcache");

        var size = DefaultMaxCacheSize;
        if (SizeParser.TryParse(env("SCCACHE_CACHE_SIZE"), out var parsedSize) && parsedSize > 0)
        {
            size = parsedSize;
        }

        var idle = DefaultIdleTimeoutSeconds;
        if (int.TryParse(env("SCCACHE_IDLE_TIMEOUT"), out var parsedIdle) && parsedIdle >= 0)
        {
            idle = parsedIdle;
        }

        int? port = int.TryParse(env("SCCACHE_SERVER_PORT"), out var parsedPort) && parsedPort is > 0 and < 65536 ? parsedPort : null;

        var runtimeDir = NonEmpty(env("XDG_RUNTIME_DIR"));
        var defaultSocket = runtimeDir is not null
            ? Path.Combine(runtimeDir, "sharpcache", "server.sock")
            : Path.Combine(Path.GetTempPath(), "sharpcache-" + GetUid(), "server.sock");
        var socket = NonEmpty(env("SCCACHE_SERVER_UDS")) ?? defaultSocket;

        var level = 3;
        if (int.TryParse(env("SCCACHE_CACHE_ZSTD_LEVEL"), out var parsedLevel) && parsedLevel is >= 1 and <= 22)
        {
            level = parsedLevel;
        }

        var frame = 8 << 20;
        if (int.TryParse(env("SCCACHE_MAX_FRAME_LENGTH"), out var parsedFrame) && parsedFrame > 0)
        {
            frame = parsedFrame;
        }

        return new SharpCacheOptions
        {
            CacheDirectory = Path.GetFullPath(dir),
            MaxCacheSize = size,
            IdleTimeoutSeconds = idle,
            ServerSocketPath = socket,
            ServerPort = port,
            ZstdLevel = level,
            Recache = env("SCCACHE_RECACHE") is not null,
            NoCache = env("SCCACHE_NO_CACHE") is not null,
            LogFilter = NonEmpty(env("SCCACHE_LOG")),
            ErrorLogPath = NonEmpty(env("SCCACHE_ERROR_LOG")),
            MaxFrameLength = frame,
        };
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string GetUid() => NativeMethods.GetUid().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
