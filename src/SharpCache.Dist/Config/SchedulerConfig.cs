using System.Net;

namespace SharpCache.Dist.Config;

/// <summary>
/// The scheduler's settings (<c>sharpcache-dist scheduler --config F</c>). sccache-dist's keys
/// (<c>public_addr</c>, <c>[client_auth]</c>, <c>[server_auth]</c>) plus our timing keys, whose
/// defaults are sccache-dist's constants. To add a setting: a property with its default here, one
/// line in <see cref="Load"/>, one row in docs/distributed.md.
/// </summary>
public sealed record SchedulerConfig
{
    /// <summary>Where the scheduler listens (plain HTTP; put a TLS reverse proxy in front).</summary>
    public required IPEndPoint PublicAddr { get; init; }

    public required ClientAuthConfig ClientAuth { get; init; }

    public required ServerAuthConfig ServerAuth { get; init; }

    /// <summary>A server not heard from for this long is dropped with its jobs (<c>server_timeout_secs</c>).</summary>
    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>An allocated job whose toolchain was present and that never started is dropped after this (<c>job_ready_timeout_secs</c>).</summary>
    public TimeSpan ReadyJobTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>An allocated job waiting for a toolchain upload is dropped after this (<c>job_pending_timeout_secs</c>).</summary>
    public TimeSpan PendingJobTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>A started job that never reported completion is dropped after this (<c>job_started_timeout_secs</c>).</summary>
    public TimeSpan StartedJobTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a server's last error keeps it out of first choice (<c>server_error_memory_secs</c>; sccache: 300 s).</summary>
    public TimeSpan ServerErrorMemory { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Loads and validates a scheduler config file; any problem is a <see cref="ConfigException"/>.</summary>
    public static SchedulerConfig Load(string path) => Parse(TomlConfigFile.Read(path));

    internal static SchedulerConfig Parse(TomlSection root)
    {
        var config = new SchedulerConfig
        {
            PublicAddr = root.OptionalEndPoint("public_addr") ?? throw root.Error("public_addr", "is required"),
            ClientAuth = ClientAuthConfig.Read(root.RequiredTable("client_auth")),
            ServerAuth = ServerAuthConfig.Read(root.RequiredTable("server_auth")),
        };
        config = config with
        {
            ServerTimeout = root.OptionalSeconds("server_timeout_secs", 0.05, 86400) ?? config.ServerTimeout,
            ReadyJobTimeout = root.OptionalSeconds("job_ready_timeout_secs", 0.05, 86400) ?? config.ReadyJobTimeout,
            PendingJobTimeout = root.OptionalSeconds("job_pending_timeout_secs", 0.05, 86400) ?? config.PendingJobTimeout,
            StartedJobTimeout = root.OptionalSeconds("job_started_timeout_secs", 0.05, 7 * 86400) ?? config.StartedJobTimeout,
            ServerErrorMemory = root.OptionalSeconds("server_error_memory_secs", 0, 86400) ?? config.ServerErrorMemory,
        };
        root.RejectUnknownKeys();
        return config;
    }

    /// <summary>Parses config text (tests, embedding); <paramref name="path"/> is only used in messages.</summary>
    public static SchedulerConfig FromToml(string path, string toml) => Parse(TomlConfigFile.Parse(path, toml));
}
