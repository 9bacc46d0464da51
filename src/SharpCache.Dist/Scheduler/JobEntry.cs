namespace SharpCache.Dist.Scheduler;

/// <summary>One allocated job. Mutable; only touched under <see cref="SchedulerState"/>'s lock.</summary>
internal sealed class JobEntry(ulong jobId, ServerEntry server, string toolchainId, JobPhase phase, DateTimeOffset now)
{
    public ulong JobId { get; } = jobId;

    public ServerEntry Server { get; } = server;

    public string ToolchainId { get; } = toolchainId;

    public JobPhase Phase { get; set; } = phase;

    /// <summary>When the job entered <see cref="Phase"/>.</summary>
    public DateTimeOffset PhaseSince { get; set; } = now;
}
