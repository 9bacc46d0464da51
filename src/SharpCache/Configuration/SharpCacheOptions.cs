using SharpCache.Config;

namespace SharpCache.Configuration;

/// <summary>
/// Settings read once per process: sccache's config file and <c>SCCACHE_*</c> variables (env wins; parsed by
/// <see cref="ConfigLoader"/>) plus the process-level variables below. Defaults live here and in SharpCache.Config.
/// To add a setting: add a property with its default, read it in <see cref="FromEnvironment(Func{string, string?}, ConfigFileContent?)"/>
/// (or, for a config-file key, in SharpCache.Config), and document it in docs/configuration.md.
/// </summary>
internal sealed record SharpCacheOptions
{
    public const long DefaultMaxCacheSize = 10L << 30;
    public const int DefaultIdleTimeoutSeconds = 600;

    /// <summary>
    /// Largest client-to-daemon frame. Above sccache's 8 MiB because a <c>RemotePut</c> carries a whole
    /// cache entry (a Rust rlib can pass 8 MiB); bigger entries stay local-only.
    /// </summary>
    public const int DefaultMaxFrameLength = 64 << 20;

    /// <summary><c>SCCACHE_DIR</c> or <c>[cache.disk] dir</c>; default <c>$XDG_CACHE_HOME/sharpcache</c> or <c>~/.cache/sharpcache</c>.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary><c>SCCACHE_CACHE_SIZE</c> or <c>[cache.disk] size</c> (e.g. <c>10G</c>).</summary>
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
    public int MaxFrameLength { get; init; } = DefaultMaxFrameLength;

    /// <summary><c>SCCACHE_BASEDIRS</c>: absolute directories (colon-separated) mapped out of keys; see <c>BasedirMapper</c>.</summary>
    public IReadOnlyList<string> Basedirs { get; init; } = [];

    /// <summary>
    /// <c>SCCACHE_DIRECT</c> or <c>[cache.disk.preprocessor_cache_mode] use_preprocessor_cache_mode</c> (default on):
    /// direct mode, i.e. hits without running the preprocessor.
    /// </summary>
    public bool DirectMode { get; init; } = true;

    /// <summary><c>SCCACHE_LOCAL_RW_MODE=READ_ONLY</c> or <c>[cache.disk] rw_mode = "READ_ONLY"</c>: the local disk cache is read, never written.</summary>
    public bool LocalReadOnly { get; init; }

    /// <summary>Every direct-mode switch of <c>[cache.disk.preprocessor_cache_mode]</c> (after <c>SCCACHE_DIRECT</c>).</summary>
    public PreprocessorCacheModeConfig PreprocessorCacheMode { get; init; } = PreprocessorCacheModeConfig.Activated;

    /// <summary>The storage to use: the levels (disk and/or remote tiers, fastest first), the disk settings, the write policy.</summary>
    public ResolvedStorage Storage { get; init; } = null!;

    /// <summary><c>[dist]</c> of the config file (scheduler, auth, toolchains).</summary>
    public DistConfig Dist { get; init; } = null!;

    /// <summary><c>server_startup_timeout_ms</c> (default 10 s): how long a client waits for the daemon to start.</summary>
    public TimeSpan ServerStartupTimeout { get; init; } = SharpCacheConfig.DefaultServerStartupTimeout;

    /// <summary><c>SCCACHE_CLIENT_SIDE</c> / <c>client_side_mode</c> (off when <c>SCCACHE_LOG</c> is set or a scheduler is configured).</summary>
    public bool ClientSideMode { get; init; }

    /// <summary>The config file that was read, or null.</summary>
    public string? ConfigFilePath { get; init; }

    /// <summary>
    /// Errors in the config file or the <c>SCCACHE_*</c> variables, each naming the file (or <c>environment</c>),
    /// the key and the reason; the values concerned were ignored. Admin verbs report them and exit 2; compiles report
    /// them and run.
    /// </summary>
    public IReadOnlyList<ConfigError> ConfigErrors { get; init; } = [];

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

    public static SharpCacheOptions FromEnvironment(Func<string, string?> env) => FromEnvironment(env, null);

    /// <summary>Reads <paramref name="env"/> and the config file; <paramref name="file"/> replaces the file on disk when given (tests).</summary>
    public static SharpCacheOptions FromEnvironment(Func<string, string?> env, ConfigFileContent? file)
    {
        ArgumentNullException.ThrowIfNull(env);
        var config = ConfigLoader.Load(env, file);
        var disk = config.Storage.Disk;

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

        var frame = DefaultMaxFrameLength;
        if (int.TryParse(env("SCCACHE_MAX_FRAME_LENGTH"), out var parsedFrame) && parsedFrame > 0)
        {
            frame = parsedFrame;
        }

        var warnings = new List<string>(config.Warnings);
        var sloppiness = ParseSloppiness(env("SHARPCACHE_SLOPPINESS"), warnings);
        if (disk.PreprocessorCacheMode.IgnoreTimeMacros)
        {
            sloppiness |= Sloppiness.TimeMacros;
        }

        return new SharpCacheOptions
        {
            Basedirs = config.Basedirs,
            DirectMode = disk.PreprocessorCacheMode.UsePreprocessorCacheMode,
            LocalReadOnly = disk.RwMode == CacheRwMode.ReadOnly,
            PreprocessorCacheMode = disk.PreprocessorCacheMode,
            Storage = config.Storage,
            Dist = config.Dist,
            ServerStartupTimeout = config.ServerStartupTimeout,
            ClientSideMode = config.ClientSideMode,
            ConfigFilePath = config.FilePath,
            ConfigErrors = config.Errors,
            DependMode = ParseBool(env("SHARPCACHE_DEPEND"), true),
            Sloppiness = sloppiness,
            Explain = NonEmpty(env("SHARPCACHE_EXPLAIN")),
            Warnings = warnings,
            CacheDirectory = disk.Dir,
            MaxCacheSize = disk.Size,
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
