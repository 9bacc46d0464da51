namespace SharpCache.Dist.Scheduler;

/// <summary>
/// A job's state in the scheduler: <c>Pending</c> (allocated, toolchain must be uploaded) or
/// <c>Ready</c> (allocated, toolchain present) → <c>Started</c> → removed on completion. Each
/// phase has a timeout after which the job is dropped (see <see cref="Config.SchedulerConfig"/>).
/// </summary>
public enum JobPhase
{
    Pending,
    Ready,
    Started,
}
