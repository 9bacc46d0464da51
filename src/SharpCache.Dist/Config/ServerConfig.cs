using System.Net;

namespace SharpCache.Dist.Config;

/// <summary>
/// A build server's settings (<c>sharpcache-dist server --config F</c>): sccache-dist's keys plus
/// job limits. Defaults live here. To add a setting: a property with its default, one line in
/// <see cref="Parse"/>, one row in docs/distributed.md.
/// </summary>
public sealed record ServerConfig
{
    /// <summary>The conventional build-server port (the seed: "Port 10500 will be used by convention").</summary>
    public const int DefaultPort = 10500;

    /// <summary>The address clients and the scheduler use; also the server's identity (<c>ip:port</c>).</summary>
    public required IPEndPoint PublicAddr { get; init; }

    /// <summary>Where to listen (<c>bind_address</c>; default <see cref="PublicAddr"/>).</summary>
    public required IPEndPoint BindAddress { get; init; }

    public required Uri SchedulerUrl { get; init; }

    /// <summary>Root of the toolchain cache (<c>cache_dir</c>).</summary>
    public required string CacheDir { get; init; }

    /// <summary>Bytes of unpacked toolchains kept (<c>toolchain_cache_size</c>; default 10 GiB), least recently used evicted.</summary>
    public long ToolchainCacheSize { get; init; } = 10L << 30;

    public required BuilderConfig Builder { get; init; }

    public required SchedulerAuthConfig SchedulerAuth { get; init; }

    /// <summary>Jobs run at once (<c>max_jobs</c>; default = cores). More wait for a slot.</summary>
    public int MaxJobs { get; init; } = Environment.ProcessorCount;

    /// <summary>Cores reported to the scheduler (<c>num_cpus</c>; default = cores).</summary>
    public int NumCpus { get; init; } = Environment.ProcessorCount;

    /// <summary>Heartbeat period (<c>heartbeat_interval_secs</c>; sccache: 30 s). Failed heartbeats retry after min(this, 10 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Wall-time limit of one job (<c>job_timeout_secs</c>).</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Processes one job may have at once (<c>job_max_processes</c>).</summary>
    public int JobMaxProcesses { get; init; } = 256;

    /// <summary>Largest toolchain archive accepted, compressed (<c>max_toolchain_archive_size</c>).</summary>
    public long MaxToolchainArchiveSize { get; init; } = 4L << 30;

    /// <summary>Largest unpacked toolchain (<c>max_toolchain_unpacked_size</c>).</summary>
    public long MaxToolchainUnpackedSize { get; init; } = 8L << 30;

    /// <summary>Most entries in one toolchain archive (<c>max_toolchain_files</c>).</summary>
    public int MaxToolchainFiles { get; init; } = 200_000;

    /// <summary>Largest inputs archive of one job, unpacked (<c>max_inputs_size</c>).</summary>
    public long MaxInputsSize { get; init; } = 1L << 30;

    /// <summary>Most entries in one inputs archive (<c>max_input_files</c>).</summary>
    public int MaxInputFiles { get; init; } = 100_000;

    /// <summary>Largest stdout, stderr or output file returned (<c>max_output_size</c>).</summary>
    public long MaxOutputSize { get; init; } = 1L << 30;

    public static ServerConfig Load(string path) => Parse(TomlConfigFile.Read(path));

    /// <summary>Parses config text (tests, embedding); <paramref name="path"/> is only used in messages.</summary>
    public static ServerConfig FromToml(string path, string toml) => Parse(TomlConfigFile.Parse(path, toml));

    internal static ServerConfig Parse(TomlSection root)
    {
        var publicAddr = root.OptionalEndPoint("public_addr", DefaultPort) ?? throw root.Error("public_addr", "is required");
        var cacheDir = root.RequiredString("cache_dir");
        if (!Path.IsPathFullyQualified(cacheDir))
        {
            throw root.Error("cache_dir", $"'{cacheDir}' must be an absolute path");
        }

        var config = new ServerConfig
        {
            PublicAddr = publicAddr,
            BindAddress = root.OptionalEndPoint("bind_address", publicAddr.Port) ?? publicAddr,
            SchedulerUrl = root.OptionalHttpUrl("scheduler_url") ?? throw root.Error("scheduler_url", "is required"),
            CacheDir = cacheDir,
            Builder = BuilderConfig.Read(root.RequiredTable("builder"), Path.Combine(cacheDir, "build")),
            SchedulerAuth = SchedulerAuthConfig.Read(root.RequiredTable("scheduler_auth"), publicAddr.ToString()),
        };
        config = config with
        {
            ToolchainCacheSize = root.OptionalInteger("toolchain_cache_size", 1 << 20, long.MaxValue) ?? config.ToolchainCacheSize,
            MaxJobs = (int)(root.OptionalInteger("max_jobs", 1, 4096) ?? config.MaxJobs),
            NumCpus = (int)(root.OptionalInteger("num_cpus", 1, 4096) ?? config.NumCpus),
            HeartbeatInterval = root.OptionalSeconds("heartbeat_interval_secs", 0.05, 3600) ?? config.HeartbeatInterval,
            JobTimeout = root.OptionalSeconds("job_timeout_secs", 0.1, 86400) ?? config.JobTimeout,
            JobMaxProcesses = (int)(root.OptionalInteger("job_max_processes", 1, 1 << 20) ?? config.JobMaxProcesses),
            MaxToolchainArchiveSize = root.OptionalInteger("max_toolchain_archive_size", 1024, long.MaxValue) ?? config.MaxToolchainArchiveSize,
            MaxToolchainUnpackedSize = root.OptionalInteger("max_toolchain_unpacked_size", 1024, long.MaxValue) ?? config.MaxToolchainUnpackedSize,
            MaxToolchainFiles = (int)(root.OptionalInteger("max_toolchain_files", 1, int.MaxValue) ?? config.MaxToolchainFiles),
            MaxInputsSize = root.OptionalInteger("max_inputs_size", 1024, long.MaxValue) ?? config.MaxInputsSize,
            MaxInputFiles = (int)(root.OptionalInteger("max_input_files", 1, int.MaxValue) ?? config.MaxInputFiles),
            MaxOutputSize = root.OptionalInteger("max_output_size", 1024, long.MaxValue) ?? config.MaxOutputSize,
        };
        root.RejectUnknownKeys();
        if (!Path.IsPathFullyQualified(config.Builder.BuildDir))
        {
            throw root.Error("builder.build_dir", $"'{config.Builder.BuildDir}' must be an absolute path");
        }

        return config;
    }
}
