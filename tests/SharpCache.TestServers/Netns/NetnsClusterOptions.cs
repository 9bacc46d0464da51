namespace SharpCache.TestServers.Netns;

/// <summary>How a <see cref="NetnsCluster"/> is built.</summary>
public sealed record NetnsClusterOptions
{
    /// <summary>Cores each host may use (cgroup CPU quota), e.g. 0.5; null = no cap.</summary>
    public double? CpuCoresPerHost { get; init; }

    /// <summary>Bound on each <c>ip</c> command the cluster runs.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
