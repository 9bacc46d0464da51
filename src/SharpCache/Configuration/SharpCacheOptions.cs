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

    /// <summary><c>SCCACHE_BASEDIRS</c>: absolute directories (colon-separated) mapped out of keys; see <c>BasedirMapper</c>.</summary>
    public IReadOnlyList<string> Basedirs { get; init; } = [];

    /// <summary><c>SCCACHE_DIRECT</c> (default on): direct mode, i.e. hits without running the preprocessor.</summary>
    public bool DirectMode { get; init; } = true;

    /// <summary>
    /// <c>SHARPCACHE_DEPEND</c> (default on): when the build asks for a depfile with <c>-MD</c>, a miss
    /// takes the include list from it instead of running the preprocessor (ccache's depend mode).
    /// </summary>
    public bool DependMode { get; init; } = true;

    /// <summary>
    /// <c>SHARPCACHE_SLOPPINESS</c> (ccache's names, comma-separated): <c>time_macros</c>,
    /// <c>include_file_mtime</c>, <c>include_file_ctime</c>. Each trades a correctness check for hits.
    /// </summary>
    public Sloppiness Sloppiness { get; init; }

    /// <summary><c>SHARPCACHE_EXPLAIN</c>: <c>1</c>/<c>stderr</c> prints why each compile missed; any other value is a file to append to.</summary>
    public string? Explain { get; init; }

    /// <summary>Problems found while reading the settings (bad values are ignored with a warning, never fatal to a compile).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

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

        var warnings = new List<string>();
        var basedirs = ParseBasedirs(env("SCCACHE_BASEDIRS"), warnings);
        var sloppiness = ParseSloppiness(env("SHARPCACHE_SLOPPINESS"), warnings);

        return new SharpCacheOptions
        {
            Basedirs = basedirs,
            DirectMode = ParseBool(env("SCCACHE_DIRECT"), true),
            DependMode = ParseBool(env("SHARPCACHE_DEPEND"), true),
            Sloppiness = sloppiness,
            Explain = NonEmpty(env("SHARPCACHE_EXPLAIN")),
            Warnings = warnings,
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

    /// <summary>sccache's booleans: true/on/1/yes and false/off/0/no, case-insensitive.</summary>
    public static bool ParseBool(string? value, bool defaultValue) => value?.Trim().ToLowerInvariant() switch
    {
        "1" or "true" or "on" or "yes" => true,
        "0" or "false" or "off" or "no" => false,
        _ => defaultValue,
    };

    private static List<string> ParseBasedirs(string? value, List<string> warnings)
    {
        var result = new List<string>();
        if (string.IsNullOrEmpty(value))
        {
            return result;
        }

        foreach (var part in value.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Path.IsPathRooted(part))
            {
                warnings.Add($"SCCACHE_BASEDIRS: '{part}' is not an absolute path; ignored");
                continue;
            }

            var normalized = Path.TrimEndingDirectorySeparator(Path.GetFullPath(part));
            if (normalized.Length > 1)
            {
                result.Add(normalized);
            }
        }

        return result;
    }

    private static Sloppiness ParseSloppiness(string? value, List<string> warnings)
    {
        var result = Sloppiness.None;
        if (string.IsNullOrEmpty(value))
        {
            return result;
        }

        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part)
            {
                case "time_macros": result |= Sloppiness.TimeMacros; break;
                case "include_file_mtime": result |= Sloppiness.IncludeFileMtime; break;
                case "include_file_ctime": result |= Sloppiness.IncludeFileCtime; break;
                default: warnings.Add($"SHARPCACHE_SLOPPINESS: unknown value '{part}' ignored"); break;
            }
        }

        return result;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string GetUid() => NativeMethods.GetUid().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
