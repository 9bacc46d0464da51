using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Scheduler;

/// <summary>Result of <see cref="SchedulerState.Allocate"/>: the response to send and, when allocated, the chosen server.</summary>
internal readonly record struct AllocationOutcome(AllocJobResponse Response, string? ServerId);
