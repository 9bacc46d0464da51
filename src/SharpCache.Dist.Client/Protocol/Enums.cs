using System.Text.Json.Serialization;

namespace SharpCache.Dist.Protocol;

/// <summary>Outcome of <c>alloc_job</c>.</summary>
public enum AllocJobStatus
{
    [JsonStringEnumMemberName("allocated")]
    Allocated,

    /// <summary>No live server has a free slot within sccache's slack; compile locally.</summary>
    [JsonStringEnumMemberName("no_capacity")]
    NoCapacity,
}

/// <summary>Job states as reported by the server. The scheduler's own states are in <c>Scheduler.JobPhase</c>.</summary>
public enum JobState
{
    [JsonStringEnumMemberName("started")]
    Started,

    [JsonStringEnumMemberName("complete")]
    Complete,
}

/// <summary>Outcome of a toolchain upload.</summary>
public enum ToolchainUploadStatus
{
    [JsonStringEnumMemberName("stored")]
    Stored,

    [JsonStringEnumMemberName("already_present")]
    AlreadyPresent,
}
