using SharpCache.Dist.Auth;

namespace SharpCache.Dist.Scheduler;

/// <summary>
/// The scheduler's view of one build server, rebuilt from heartbeats. Mutable; only touched under
/// <see cref="SchedulerState"/>'s lock.
/// </summary>
internal sealed class ServerEntry(string serverId, string instanceId)
{
    public string ServerId { get; } = serverId;

    public string ServerUrl { get; } = $"http://{serverId}";

    public string InstanceId { get; } = instanceId;

    public int NumCpus { get; set; }

    public int MaxJobs { get; set; }

    public JobTokenSigner Signer { get; set; } = null!;

    public HashSet<string> Toolchains { get; set; } = new(StringComparer.Ordinal);

    public HashSet<ulong> Jobs { get; } = [];

    public DateTimeOffset LastSeen { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset LastErrorAt { get; set; }

    /// <summary>
    /// sccache-dist's load: assigned jobs per core, or 3.0 ("full") once assigned reaches
    /// cores + 1 + cores/8 (the slack that covers upload and network time).
    /// </summary>
    public double Load
    {
        get
        {
            var assigned = Jobs.Count;
            return assigned >= NumCpus + 1 + (NumCpus / 8) ? SchedulerState.FullLoad : (double)assigned / NumCpus;
        }
    }
}
